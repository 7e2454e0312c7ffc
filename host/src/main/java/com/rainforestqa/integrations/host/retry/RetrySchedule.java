package com.rainforestqa.integrations.host.retry;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When a queued delivery is tried again: the n-th wait of a list, each stretched or shrunk at random by up to
 * {@code jitter} so that the deliveries of one outage do not all return at once. A target's {@code Retry-After} is
 * honoured up to {@code maxRetryAfter} when it asks for a longer wait than the schedule's.
 *
 * @param waits the waits between attempts; the delivery is exhausted after the last
 * @param jitter the largest share of a wait added or taken at random, from 0 to 1
 * @param maxRetryAfter the longest {@code Retry-After} honoured
 */
public record RetrySchedule(List<Duration> waits, double jitter, Duration maxRetryAfter) {
    /** Checks and copies the components. */
    public RetrySchedule {
        waits = List.copyOf(waits);
        if (waits.stream().anyMatch(wait -> wait.isNegative())) {
            throw new IllegalArgumentException("waits must not be negative");
        }
        if (jitter < 0 || jitter > 1) {
            throw new IllegalArgumentException("jitter must be between 0 and 1");
        }
        requireNonNull(maxRetryAfter, "maxRetryAfter is null");
    }

    /**
     * The time of the next attempt.
     *
     * @param queuedAttempts how many attempts were made since the delivery was queued (0 right after the inline one)
     * @param retryAfter the wait the target asked for, if any
     * @param now the time now
     * @return when to try again, or empty when the schedule is over
     */
    public Optional<Instant> next(int queuedAttempts, Optional<Duration> retryAfter, Instant now) {
        if (queuedAttempts >= waits.size()) {
            return Optional.empty();
        }
        long millis = waits.get(queuedAttempts).toMillis();
        long spread = (long) (millis * jitter);
        long wait = spread == 0 ? millis : millis + ThreadLocalRandom.current().nextLong(-spread, spread + 1);
        long asked = retryAfter.map(after -> Math.min(after.toMillis(), maxRetryAfter.toMillis())).orElse(0L);
        return Optional.of(now.plusMillis(Math.max(wait, asked)));
    }
}
