package com.rainforestqa.integrations.host.observe;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * Lets one log line through per interval and counts the others, for errors that come in floods: during a store
 * outage under load every event fails alike, and a line for each would bury the rest of the log.
 *
 * <p>Thread-safe.
 */
public final class LogThrottle {
    private final Duration interval;
    private final Clock clock;
    private Instant next = Instant.MIN;
    private long held;

    /**
     * @param interval the least time between two lines
     * @param clock the clock
     */
    public LogThrottle(Duration interval, Clock clock) {
        this.interval = interval;
        this.clock = clock;
    }

    /**
     * Asks whether a line may be written now.
     *
     * @return how many lines were held back since the last one let through, when this one may be written; empty
     *         when it is held back
     */
    public synchronized OptionalLong admit() {
        Instant now = clock.instant();
        if (now.isBefore(next)) {
            held++;
            return OptionalLong.empty();
        }
        next = now.plus(interval);
        long before = held;
        held = 0;
        return OptionalLong.of(before);
    }
}
