package com.rainforestqa.integrations.plugin.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HumanDurationTest {

    @ParameterizedTest
    @CsvSource(delimiter = '=', textBlock = """
            0 = 0 seconds
            1 = 1 second
            59 = 59 seconds
            60 = 1 minute
            61 = 1 minute, 1 second
            1503 = 25 minutes, 3 seconds
            3600 = 1 hour
            3605 = 1 hour, 5 seconds
            3725 = 1 hour, 2 minutes, 5 seconds
            7200 = 2 hours
            90061 = 1 day, 1 hour, 1 minute, 1 second
            172800 = 2 days
            """)
    void namesNonZeroUnitsWithSingularAndPlural(long seconds, String expected) {
        assertThat(HumanDuration.of(seconds)).isEqualTo(expected);
    }

    @Test
    void negativeDurationIsRejected() {
        assertThatThrownBy(() -> HumanDuration.of(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("seconds is negative: -1");
    }
}
