package com.rainforestqa.integrations.host.observe;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The longest duration of the last one to two minutes. A histogram's buckets say how durations are spread but not how
 * long the worst one was; an alert on a stuck target wants the latter, and a maximum kept since the start would never
 * come down again. Thread-safe: recording takes a lock that only scrapes and other recordings contend for.
 */
final class RecentMaximum {
    /** How long a longest duration stays shown: one to two of these. */
    private static final long PERIOD_NANOS = Duration.ofMinutes(1).toNanos();

    private final LongSupplier nanoTime;
    private long periodStart;
    private long maxNanos;
    private long previousMaxNanos;

    /** @param nanoTime the monotonic clock that ages the maximum */
    RecentMaximum(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.periodStart = nanoTime.getAsLong();
    }

    /** @param nanos a duration; a negative one counts as zero */
    synchronized void record(long nanos) {
        age(nanoTime.getAsLong());
        maxNanos = Math.max(maxNanos, nanos);
    }

    /** @return the longest duration of the current and the previous period, in seconds */
    synchronized double seconds() {
        age(nanoTime.getAsLong());
        return Math.max(maxNanos, previousMaxNanos) / 1e9;
    }

    /** Starts a new period once the current one is over; the previous one's maximum is still shown. */
    private void age(long now) {
        long elapsed = now - periodStart;
        if (elapsed >= PERIOD_NANOS) {
            previousMaxNanos = elapsed >= 2 * PERIOD_NANOS ? 0 : maxNanos;
            maxNanos = 0;
            periodStart = now - elapsed % PERIOD_NANOS;
        }
    }
}
