package com.rainforestqa.integrations.api;

import static java.util.Objects.requireNonNull;

/**
 * Shortens texts to a target's limit, in the unit the target counts, ending a shortened text with an ellipsis
 * ({@value #ELLIPSIS}) so that a reader sees something was left out. A cut never falls inside a code point: a lone
 * half of a surrogate pair cannot be encoded as UTF-8 and reaches the target as {@code ?}.
 *
 * <pre>{@code
 * String summary = TextLimit.CODE_POINTS.truncate(title, 1024);        // PagerDuty counts characters
 * String field = TextLimit.UTF16_UNITS.truncate(note, 1024);           // Discord counts JavaScript string length
 * String body = TextLimit.UTF8_BYTES.truncate(card, 28_000, "\n(cut)"); // Teams limits the bytes of the request
 * }</pre>
 *
 * <p>Grapheme clusters (an emoji with a skin tone, a flag) may still be cut between their code points; what remains
 * is valid text. Stateless and thread-safe.
 */
public enum TextLimit {
    /**
     * Counts Unicode code points, what most APIs mean by "characters" when they are not written in Java or
     * JavaScript: an emoji counts 1.
     */
    CODE_POINTS {
        @Override
        public int length(String text) {
            return text.codePointCount(0, text.length());
        }

        @Override
        int units(int codePoint) {
            return 1;
        }
    },

    /**
     * Counts UTF-16 code units, as Java's {@link String#length()} and JavaScript's {@code length} do: an emoji
     * outside the Basic Multilingual Plane counts 2. Never fewer than {@link #CODE_POINTS}, so a limit counted here is
     * kept under either count.
     */
    UTF16_UNITS {
        @Override
        public int length(String text) {
            return text.length();
        }

        @Override
        int units(int codePoint) {
            return Character.charCount(codePoint);
        }
    },

    /** Counts the bytes of the text's UTF-8 encoding: ASCII 1, most CJK 3, an emoji 4. */
    UTF8_BYTES {
        @Override
        public int length(String text) {
            int bytes = 0;
            for (int i = 0; i < text.length(); ) {
                int codePoint = text.codePointAt(i);
                bytes += units(codePoint);
                i += Character.charCount(codePoint);
            }
            return bytes;
        }

        @Override
        int units(int codePoint) {
            if (codePoint < 0x80) {
                return 1;
            }
            if (codePoint < 0x800) {
                return 2;
            }
            // A lone surrogate is encoded as '?' by Java, but counted at its worst here.
            return codePoint < 0x10000 ? 3 : 4;
        }
    };

    /** The ellipsis that ends a shortened text: one code point, one UTF-16 unit, three UTF-8 bytes. */
    public static final String ELLIPSIS = "…";

    /**
     * The length of a text in this unit.
     *
     * @param text the text
     * @return its length
     */
    public abstract int length(String text);

    /** The length of one code point in this unit. */
    abstract int units(int codePoint);

    /**
     * The text itself when it fits the limit; otherwise its longest start that fits together with {@link #ELLIPSIS},
     * followed by the ellipsis.
     *
     * @param text the text
     * @param max the limit, in this unit
     * @return a text of at most {@code max} units
     * @throws IllegalArgumentException if max is negative
     */
    public String truncate(String text, int max) {
        return truncate(text, max, ELLIPSIS);
    }

    /**
     * The text itself when it fits the limit; otherwise its longest start that fits together with the suffix,
     * followed by the suffix (an ellipsis, or a note such as {@code "\n\n(cut to Jira's limit)"}). When not even the
     * suffix fits, the longest start of the text that fits, without suffix.
     *
     * @param text the text
     * @param max the limit, in this unit
     * @param suffix what ends a shortened text
     * @return a text of at most {@code max} units
     * @throws IllegalArgumentException if max is negative
     */
    public String truncate(String text, int max, String suffix) {
        requireNonNull(text, "text is null");
        requireNonNull(suffix, "suffix is null");
        if (max < 0) {
            throw new IllegalArgumentException("max is negative: " + max);
        }
        if (length(text) <= max) {
            return text;
        }
        int suffixLength = length(suffix);
        if (suffixLength > max) {
            return text.substring(0, fittingEnd(text, max));
        }
        return text.substring(0, fittingEnd(text, max - suffixLength)) + suffix;
    }

    /** The end index of the longest start of the text, in whole code points, of at most {@code room} units. */
    private int fittingEnd(String text, int room) {
        int used = 0;
        int end = 0;
        while (end < text.length()) {
            int codePoint = text.codePointAt(end);
            int size = units(codePoint);
            if (used + size > room) {
                break;
            }
            used += size;
            end += Character.charCount(codePoint);
        }
        return end;
    }
}
