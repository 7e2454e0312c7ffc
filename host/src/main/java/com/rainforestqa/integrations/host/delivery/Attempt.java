package com.rainforestqa.integrations.host.delivery;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One call of an integration for one event, as the delivery API shows it.
 *
 * @param at when it started
 * @param took how long it took
 * @param responseCode the target's status, when it answered
 * @param errorType the error type, when it failed
 * @param error what went wrong, with secrets removed
 */
public record Attempt(Instant at, Duration took, OptionalInt responseCode, Optional<String> errorType,
                      Optional<String> error) {
    /** Checks the components. */
    public Attempt {
        requireNonNull(at, "at is null");
        requireNonNull(took, "took is null");
        requireNonNull(responseCode, "responseCode is null");
        requireNonNull(errorType, "errorType is null");
        requireNonNull(error, "error is null");
    }
}
