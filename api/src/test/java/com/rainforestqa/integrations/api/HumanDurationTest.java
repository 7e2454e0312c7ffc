package com.rainforestqa.integrations.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HumanDurationTest {
    @Test
    void wordsNameTheNonZeroUnits() {
        assertThat(HumanDuration.words(0)).isEqualTo("0 seconds");
        assertThat(HumanDuration.words(1)).isEqualTo("1 second");
        assertThat(HumanDuration.words(1503)).isEqualTo("25 minutes, 3 seconds");
        assertThat(HumanDuration.words(3600)).isEqualTo("1 hour");
        assertThat(HumanDuration.words(90_061)).isEqualTo("1 day, 1 hour, 1 minute, 1 second");
    }

    @Test
    void compactShowsMinutesOnceThereAreAny() {
        assertThat(HumanDuration.compact(0)).isEqualTo("0s");
        assertThat(HumanDuration.compact(59)).isEqualTo("59s");
        assertThat(HumanDuration.compact(150)).isEqualTo("2m 30s");
        assertThat(HumanDuration.compact(3605)).isEqualTo("1h 0m 5s");
        assertThat(HumanDuration.compact(90_000)).isEqualTo("25h 0m 0s");
    }

    @Test
    void aNegativeDurationIsRefused() {
        assertThatThrownBy(() -> HumanDuration.words(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("seconds is negative: -1");
        assertThatThrownBy(() -> HumanDuration.compact(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
