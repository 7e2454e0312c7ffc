package com.rainforestqa.integrations.host.retry;

import static org.assertj.core.api.Assertions.assertThat;

import com.rainforestqa.integrations.api.ErrorType;
import com.rainforestqa.integrations.api.IntegrationException;
import com.rainforestqa.integrations.api.OutboundResponse;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
    private final RetryPolicy policy = new RetryPolicy(4, Duration.ofMillis(200), Duration.ofSeconds(5));

    @Test
    void backoffGrowsWithJitterWithinItsBounds() {
        for (int i = 0; i < 50; i++) {
            assertThat(policy.delay(1, noAnswer(), NOW, NOW.plusSeconds(20)).orElseThrow())
                    .isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
            assertThat(policy.delay(3, noAnswer(), NOW, NOW.plusSeconds(20)).orElseThrow())
                    .isBetween(Duration.ofMillis(400), Duration.ofMillis(800));
        }
    }

    @Test
    void noAttemptIsLeftAfterTheLast() {
        assertThat(policy.delay(4, noAnswer(), NOW, NOW.plusSeconds(20))).isEmpty();
    }

    @Test
    void retryAfterInSecondsOrAsADateIsHonoured() {
        assertThat(policy.delay(1, answered("3"), NOW, NOW.plusSeconds(20))).contains(Duration.ofSeconds(3));
        assertThat(policy.delay(1, answered("Fri, 27 Nov 2026 12:00:07 GMT"), NOW, NOW.plusSeconds(20)))
                .contains(Duration.ofSeconds(7));
    }

    @Test
    void retryAfterInTheObsoleteDateFormsIsHonoured() {
        // RFC 9110 §5.6.7 asks recipients to read RFC 850 and asctime dates as well as IMF-fixdate.
        assertThat(policy.delay(1, answered("Friday, 27-Nov-26 12:00:04 GMT"), NOW, NOW.plusSeconds(20)))
                .contains(Duration.ofSeconds(4));
        assertThat(policy.delay(1, answered("Fri Nov 27 12:00:06 2026"), NOW, NOW.plusSeconds(20)))
                .contains(Duration.ofSeconds(6));
    }

    @Test
    void retryAfterInThePastMeansRetryAtOnce() {
        assertThat(policy.delay(1, answered("Fri, 27 Nov 2026 11:59:00 GMT"), NOW, NOW.plusSeconds(20)))
                .contains(Duration.ZERO);
        assertThat(policy.delay(1, answered("Fri Nov  6 12:00:00 2026"), NOW, NOW.plusSeconds(20)))
                .contains(Duration.ZERO);
    }

    @Test
    void waitPastTheDeadlineMeansNoRetry() {
        assertThat(policy.delay(1, answered("30"), NOW, NOW.plusSeconds(20))).isEmpty();
        assertThat(policy.delay(1, noAnswer(), NOW, NOW.plusMillis(150))).isEmpty();
    }

    @Test
    void unreadableRetryAfterFallsBackToBackoff() {
        assertThat(policy.delay(1, answered("soon"), NOW, NOW.plusSeconds(20)).orElseThrow())
                .isLessThanOrEqualTo(Duration.ofMillis(200));
    }

    @Test
    void theIntegrationsOwnWaitComesFirst() {
        IntegrationException failure = new IntegrationException("rate limited",
                new OutboundResponse(429, Map.of("Retry-After", List.of("9")), ""), Duration.ofMillis(1500));

        assertThat(policy.delay(1, failure, NOW, NOW.plusSeconds(20))).contains(Duration.ofMillis(1500));
    }

    private static IntegrationException noAnswer() {
        return new IntegrationException(ErrorType.TRANSIENT, "unreachable");
    }

    private static IntegrationException answered(String retryAfter) {
        return new IntegrationException(ErrorType.TRANSIENT, "busy",
                new OutboundResponse(429, Map.of("Retry-After", List.of(retryAfter)), ""));
    }
}
