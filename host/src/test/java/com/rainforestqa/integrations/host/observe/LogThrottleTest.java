package com.rainforestqa.integrations.host.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

class LogThrottleTest {
    private Instant now = Instant.parse("2026-12-03T12:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    };

    @Test
    void theFirstLineOfAnIntervalPassesAndTellsHowManyWereHeldBeforeIt() {
        LogThrottle throttle = new LogThrottle(Duration.ofSeconds(10), clock);

        assertThat(throttle.admit()).isEqualTo(OptionalLong.of(0));
        now = now.plusSeconds(9);
        assertThat(throttle.admit()).isEmpty();
        assertThat(throttle.admit()).isEmpty();
        now = now.plusSeconds(1);
        assertThat(throttle.admit()).isEqualTo(OptionalLong.of(2));
        assertThat(throttle.admit()).isEmpty();
        now = now.plusSeconds(60);
        assertThat(throttle.admit()).isEqualTo(OptionalLong.of(1));
    }
}
