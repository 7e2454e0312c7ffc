package com.rainforestqa.integrations.testkit.harness;

import static java.util.Objects.requireNonNull;

import com.rainforestqa.integrations.testkit.RecordedRequest;

import jakarta.json.JsonObject;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What became of one event delivered through the host, and what the fake target saw meanwhile.
 *
 * @param result the integration's entry of {@code results}, exactly as {@code POST /events} answers it:
 *               {@code {"key", "status", "type"?, "error" | "reason"?, "failed_response_code"?,
 *               "failed_response_body"?}}
 * @param requests the requests the harness's fake target received during the delivery, in order
 */
public record Delivery(JsonObject result, List<RecordedRequest> requests) {
    /** Checks and copies the components. */
    public Delivery {
        requireNonNull(result, "result is null");
        requests = List.copyOf(requests);
    }

    /** @return {@code delivered}, {@code failed}, {@code skipped} or {@code duplicate} */
    public String status() {
        return result.getString("status");
    }

    /** @return whether the target accepted the event */
    public boolean delivered() {
        return "delivered".equals(status());
    }

    /** @return the error type of a failure, for example {@code user_configuration_error} */
    public Optional<String> type() {
        return Optional.ofNullable(result.getString("type", null));
    }

    /** @return the error message of a failure, or the reason of a skip, as the host reports it */
    public Optional<String> message() {
        return Optional.ofNullable(result.getString("error", result.getString("reason", null)));
    }

    /** @return the target's status for a failure where it answered */
    public OptionalInt responseCode() {
        return result.containsKey("failed_response_code")
                ? OptionalInt.of(result.getInt("failed_response_code")) : OptionalInt.empty();
    }

    /** @return the target's answer to a failure, cut and with secret settings redacted */
    public Optional<String> responseBody() {
        return Optional.ofNullable(result.getString("failed_response_body", null));
    }

    /**
     * The one request the target received.
     *
     * @return the request
     * @throws AssertionError when the target received none or several
     */
    public RecordedRequest onlyRequest() {
        if (requests.size() != 1) {
            throw new AssertionError("expected exactly one request, got " + requests.size() + ": " + requests);
        }
        return requests.getFirst();
    }
}
