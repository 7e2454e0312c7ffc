package com.rainforestqa.integrations.host.delivery;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A {@code POST /events} request that fails validation; nothing was sent. Answered with 400.
 */
public final class RejectedRequest extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String type;
    private final transient List<DeliveryResult> results;

    RejectedRequest(String type, String message) {
        this(type, message, List.of());
    }

    RejectedRequest(String type, String message, List<DeliveryResult> results) {
        super(requireNonNull(message, "message is null"), null, false, false);
        this.type = requireNonNull(type, "type is null");
        this.results = List.copyOf(results);
    }

    /** @return the error type, for example {@code invalid_request} */
    public String type() {
        return type;
    }

    /** @return one entry per requested integration, empty when the request could not be read that far */
    public List<DeliveryResult> results() {
        return results;
    }
}
