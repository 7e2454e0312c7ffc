package com.rainforestqa.integrations.host.delivery;

import static java.util.Objects.requireNonNull;

import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.spi.JsonProvider;

import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What became of one requested integration: one entry of a response's {@code results}.
 *
 * @param key the integration's key
 * @param status what happened
 * @param type the error type, for failures
 * @param message what went wrong or why nothing was sent; never a secret
 * @param responseCode the target's status, when it answered (the last answer, for a delivery that took several calls)
 * @param responseBody the target's answer, truncated and with secrets removed
 * @param nextAttemptAt when a queued delivery is tried next
 */
public record DeliveryResult(String key, Status status, Optional<String> type, Optional<String> message,
                             OptionalInt responseCode, Optional<String> responseBody, Optional<Instant> nextAttemptAt) {
    /** Looked up once: each {@code Json.create...} call would look the provider up again. */
    private static final JsonProvider JSON = JsonProvider.provider();

    /** What happened to one integration of an event. */
    public enum Status {
        /** The target accepted the event. */
        DELIVERED,
        /** The event could not be delivered. */
        FAILED,
        /** Nothing was sent, on purpose. */
        SKIPPED,
        /** The event was delivered before; nothing was sent again. */
        DUPLICATE,
        /** The target failed transiently; the delivery is kept in the store and tried again later. */
        QUEUED;

        /** @return the status as the API writes it */
        public String json() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Checks the components. */
    public DeliveryResult {
        requireNonNull(key, "key is null");
        requireNonNull(status, "status is null");
        requireNonNull(type, "type is null");
        requireNonNull(message, "message is null");
        requireNonNull(responseCode, "responseCode is null");
        requireNonNull(responseBody, "responseBody is null");
        requireNonNull(nextAttemptAt, "nextAttemptAt is null");
    }

    static DeliveryResult delivered(String key) {
        return new DeliveryResult(key, Status.DELIVERED, Optional.empty(), Optional.empty(), OptionalInt.empty(),
                Optional.empty(), Optional.empty());
    }

    static DeliveryResult skipped(String key, String reason) {
        return new DeliveryResult(key, Status.SKIPPED, Optional.empty(), Optional.of(reason), OptionalInt.empty(),
                Optional.empty(), Optional.empty());
    }

    static DeliveryResult duplicate(String key) {
        return new DeliveryResult(key, Status.DUPLICATE, Optional.empty(),
                Optional.of("delivered before; not sent again"), OptionalInt.empty(), Optional.empty(),
                Optional.empty());
    }

    static DeliveryResult failed(String key, String type, String message) {
        return new DeliveryResult(key, Status.FAILED, Optional.of(type), Optional.of(message), OptionalInt.empty(),
                Optional.empty(), Optional.empty());
    }

    static DeliveryResult alreadyQueued(String key, Instant at) {
        return new DeliveryResult(key, Status.QUEUED, Optional.empty(),
                Optional.of("queued by an earlier copy of this event"), OptionalInt.empty(), Optional.empty(),
                Optional.of(at));
    }

    DeliveryResult withResponse(int code, String body) {
        return new DeliveryResult(key, status, type, message, OptionalInt.of(code), Optional.of(body), nextAttemptAt);
    }

    /** The same failure, kept for a later attempt at {@code at}. */
    DeliveryResult queued(Instant at) {
        return new DeliveryResult(key, Status.QUEUED, type, message, responseCode, responseBody, Optional.of(at));
    }

    /** @return whether the integration failed */
    public boolean isFailure() {
        return status == Status.FAILED;
    }

    /** @return the entry as it appears in {@code results} */
    public JsonObject toJson() {
        JsonObjectBuilder json = JSON.createObjectBuilder().add("key", key).add("status", status.json());
        type.ifPresent(value -> json.add("type", value));
        message.ifPresent(value -> json.add(status == Status.FAILED || status == Status.QUEUED ? "error" : "reason",
                value));
        nextAttemptAt.ifPresent(at -> json.add("next_attempt_at", at.toString()));
        // The target's answer to a delivery that worked stays out of the API's answer; tools such as `send` show it.
        if (status == Status.FAILED || status == Status.QUEUED) {
            responseCode.ifPresent(value -> json.add("failed_response_code", value));
            responseBody.ifPresent(value -> json.add("failed_response_body", value));
        }
        return json.build();
    }
}
