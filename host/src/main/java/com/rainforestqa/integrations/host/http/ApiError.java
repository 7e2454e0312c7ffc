package com.rainforestqa.integrations.host.http;

import static java.util.Objects.requireNonNull;

import io.helidon.http.Status;

/** A request the API refuses, answered with the given status and a JSON error; thrown by handlers. */
final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Status status;
    private final String type;

    ApiError(Status status, String type, String message) {
        super(requireNonNull(message, "message is null"), null, false, false);
        this.status = requireNonNull(status, "status is null");
        this.type = requireNonNull(type, "type is null");
    }

    Status status() {
        return status;
    }

    String type() {
        return type;
    }
}
