package com.rainforestqa.integrations.api;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The one exception an integration throws when an event could not be delivered.
 *
 * <p>The message is shown to the user who configured the integration, so it says what is wrong and what to check,
 * and never contains a secret setting. When the target answered, the exception carries that answer; the host
 * truncates it and removes secret values before showing it.
 */
public final class IntegrationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorType type;
    private final transient OutboundResponse response;
    private final transient Duration retryAfter;

    /**
     * A failure without an answer from the target (it was not reached, or nothing was sent).
     *
     * @param type why the delivery failed
     * @param message what went wrong, for the user; no secrets
     */
    public IntegrationException(ErrorType type, String message) {
        this(type, message, null, null);
    }

    /**
     * A failure caused by another exception, without an answer from the target.
     *
     * @param type why the delivery failed
     * @param message what went wrong, for the user; no secrets
     * @param cause the underlying exception
     */
    public IntegrationException(ErrorType type, String message, Throwable cause) {
        this(type, message, null, cause);
    }

    /**
     * A failure the target answered with.
     *
     * @param type why the delivery failed
     * @param message what went wrong, for the user; no secrets
     * @param response the target's answer
     */
    public IntegrationException(ErrorType type, String message, OutboundResponse response) {
        this(type, message, requireNonNull(response, "response is null"), null);
    }

    /**
     * A transient failure after which the target asked to wait, for targets that say so in the body rather than in
     * a {@code Retry-After} header (Discord's {@code retry_after}, for example). The host waits at least this long
     * before trying again, or gives up if the event's deadline comes first.
     *
     * @param message what went wrong, for the user; no secrets
     * @param response the target's answer
     * @param retryAfter how long the target asked to wait
     */
    public IntegrationException(String message, OutboundResponse response, Duration retryAfter) {
        this(ErrorType.TRANSIENT, message, requireNonNull(response, "response is null"), null,
                requireNonNull(retryAfter, "retryAfter is null"));
    }

    private IntegrationException(ErrorType type, String message, OutboundResponse response, Throwable cause) {
        this(type, message, response, cause, null);
    }

    private IntegrationException(ErrorType type, String message, OutboundResponse response, Throwable cause,
                                 Duration retryAfter) {
        super(requireNonNull(message, "message is null"), cause);
        this.type = requireNonNull(type, "type is null");
        this.response = response;
        this.retryAfter = retryAfter;
    }

    /**
     * How long the target asked to wait before a retry, when the integration knows.
     *
     * @return the wait, or empty to let the host decide (it reads a {@code Retry-After} header itself)
     */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /**
     * Why the delivery failed.
     *
     * @return the error type
     */
    public ErrorType type() {
        return type;
    }

    /**
     * The target's answer, when there was one.
     *
     * @return the response, or empty when the target was not reached
     */
    public Optional<OutboundResponse> response() {
        return Optional.ofNullable(response);
    }

    /**
     * The HTTP status the target answered with.
     *
     * @return the status, or empty when the target was not reached
     */
    public OptionalInt status() {
        return response == null ? OptionalInt.empty() : OptionalInt.of(response.status());
    }
}
