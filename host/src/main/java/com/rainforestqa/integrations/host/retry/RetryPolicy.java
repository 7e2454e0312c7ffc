package com.rainforestqa.integrations.host.retry;

import static java.util.Objects.requireNonNull;

import com.rainforestqa.integrations.api.IntegrationException;

import io.helidon.http.DateTime;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When to try a transient failure again: exponential backoff with equal jitter, or the target's {@code Retry-After}
 * when it sent one, never past the event's deadline and never more than {@code maxAttempts} in all.
 *
 * <p>Equal jitter draws each wait from the upper half of its bound, {@code [bound/2, bound]}: retries of one outage
 * spread out, and none comes back at once, as full jitter's {@code [0, bound]} would allow.
 *
 * @param maxAttempts attempts per integration and event, the first included
 * @param initialBackoff the first backoff's upper bound; each further one doubles
 * @param maxBackoff the largest backoff
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {

    /** Checks the components. */
    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        requireNonNull(initialBackoff, "initialBackoff is null");
        requireNonNull(maxBackoff, "maxBackoff is null");
    }

    /**
     * How long to wait before the next attempt.
     *
     * @param attemptsMade the attempts made so far
     * @param failure the last attempt's failure: its own wait if the integration read one, else its answer's
     *                {@code Retry-After}, else backoff
     * @param now the current time
     * @param deadline the event's deadline
     * @return the wait, or empty when no attempt is left or it could not start before the deadline
     */
    public Optional<Duration> delay(int attemptsMade, IntegrationException failure, Instant now, Instant deadline) {
        if (attemptsMade >= maxAttempts) {
            return Optional.empty();
        }
        Duration wait = askedWait(failure, now).orElseGet(() -> equalJitter(attemptsMade));
        // An attempt needs time of its own, so one that would start in the last instant is not worth making.
        Duration left = Duration.between(now, deadline).minus(initialBackoff);
        return wait.compareTo(left) < 0 ? Optional.of(wait) : Optional.empty();
    }

    private Duration equalJitter(int attemptsMade) {
        long bound = initialBackoff.toMillis() << Math.min(attemptsMade - 1, 20);
        bound = Math.min(Math.max(bound, 1), maxBackoff.toMillis());
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(bound / 2, bound + 1));
    }

    /**
     * The wait a failure asks for: the plugin's own, else the target's {@code Retry-After} header.
     *
     * @param failure the failure
     * @param now the time now, for a {@code Retry-After} that names a date
     * @return the wait, if the failure asks for one
     */
    public static Optional<Duration> askedWait(IntegrationException failure, Instant now) {
        return failure.retryAfter()
                .or(() -> failure.response().flatMap(answer -> answer.header("Retry-After"))
                        .flatMap(value -> retryAfter(value, now)));
    }

    /**
     * {@code Retry-After} is either seconds or an HTTP date (RFC 9110 §10.2.3), which a recipient reads in all three
     * of HTTP's date forms: IMF-fixdate, RFC 850 and asctime (RFC 9110 §5.6.7).
     */
    static Optional<Duration> retryAfter(String value, Instant now) {
        String trimmed = value.trim();
        try {
            long seconds = Long.parseLong(trimmed);
            return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
        } catch (NumberFormatException notSeconds) {
            try {
                // now anchors RFC 850's two-digit year, so the same header always means the same instant.
                Instant at = DateTime.parse(trimmed, now.atZone(ZoneOffset.UTC)).toInstant();
                Duration wait = Duration.between(now, at);
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }
}
