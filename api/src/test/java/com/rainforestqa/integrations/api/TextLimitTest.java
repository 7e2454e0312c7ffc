package com.rainforestqa.integrations.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class TextLimitTest {
    private static final String EMOJI = "\uD83D\uDE00"; // 😀: 1 code point, 2 UTF-16 units, 4 UTF-8 bytes

    @Test
    void aTextThatFitsIsKept() {
        assertThat(TextLimit.CODE_POINTS.truncate("abc", 3)).isEqualTo("abc");
        assertThat(TextLimit.UTF8_BYTES.truncate("日本", 6)).isEqualTo("日本");
        assertThat(TextLimit.UTF16_UNITS.truncate(EMOJI, 2)).isEqualTo(EMOJI);
    }

    @Test
    void aLongerTextEndsWithTheEllipsisWithinTheLimit() {
        assertThat(TextLimit.CODE_POINTS.truncate("abcdef", 4)).isEqualTo("abc…");
        assertThat(TextLimit.UTF16_UNITS.truncate("abcdef", 4)).isEqualTo("abc…");
        assertThat(TextLimit.UTF8_BYTES.truncate("abcdef", 5)).isEqualTo("ab…");
    }

    @Test
    void eachUnitCountsTheWayItsTargetDoes() {
        String text = "a" + EMOJI + "日";
        assertThat(TextLimit.CODE_POINTS.length(text)).isEqualTo(3);
        assertThat(TextLimit.UTF16_UNITS.length(text)).isEqualTo(4);
        assertThat(TextLimit.UTF8_BYTES.length(text)).isEqualTo(text.getBytes(StandardCharsets.UTF_8).length)
                .isEqualTo(8);
    }

    @Test
    void aCutNeverSplitsASurrogatePair() {
        String emojis = EMOJI.repeat(10);
        // Room for 2.5 emoji before the ellipsis in UTF-16 units: two are kept whole.
        assertThat(TextLimit.UTF16_UNITS.truncate(emojis, 6)).isEqualTo(EMOJI.repeat(2) + "…");
        assertThat(TextLimit.CODE_POINTS.truncate(emojis, 6)).isEqualTo(EMOJI.repeat(5) + "…");
        assertThat(TextLimit.UTF8_BYTES.truncate(emojis, 13)).isEqualTo(EMOJI.repeat(2) + "…");
        for (int max = 0; max < 25; max++) {
            for (TextLimit unit : TextLimit.values()) {
                String cut = unit.truncate("x" + emojis + "日本語", max);
                assertThat(unit.length(cut)).isLessThanOrEqualTo(max);
                assertThat(hasLoneSurrogate(cut)).as("%s at %d: %s", unit, max, cut).isFalse();
            }
        }
    }

    @Test
    void utf8CountsMultiByteCharacters() {
        assertThat(TextLimit.UTF8_BYTES.truncate("日本語テキスト", 10)).isEqualTo("日本…");
        assertThat(TextLimit.UTF8_BYTES.truncate("é".repeat(10), 8)).isEqualTo("éé…");
    }

    @Test
    void aSuffixReplacesTheEllipsis() {
        assertThat(TextLimit.CODE_POINTS.truncate("a long description", 10, " (cut)")).isEqualTo("a lo (cut)");
    }

    @Test
    void whenNotEvenTheSuffixFitsTheTextIsCutWithoutIt() {
        assertThat(TextLimit.CODE_POINTS.truncate("abcdef", 3, " (cut)")).isEqualTo("abc");
        assertThat(TextLimit.UTF8_BYTES.truncate("abcdef", 2)).isEqualTo("ab");
        assertThat(TextLimit.UTF16_UNITS.truncate("abc", 0)).isEmpty();
    }

    @Test
    void aNegativeLimitIsRefused() {
        assertThatThrownBy(() -> TextLimit.CODE_POINTS.truncate("a", -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("max is negative: -1");
    }

    private static boolean hasLoneSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return true;
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return true;
            }
        }
        return false;
    }
}
