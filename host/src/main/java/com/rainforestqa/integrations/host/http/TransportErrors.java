package com.rainforestqa.integrations.host.http;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderValues;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;

import java.nio.charset.StandardCharsets;

/**
 * Answers what the web server refuses before any route sees it (a malformed request line, header, chunk or
 * {@code Content-Length}, an unsupported HTTP version, a client gone mid-request) with the service's JSON errors.
 *
 * <p>Such a request never reached the service's code, so the server's "internal error" for it is the client's
 * fault, almost always a connection closed half-way: it is answered {@code 400} and logged in one line at
 * {@code DEBUG}, instead of a {@code 500} with a stack trace at {@code WARNING} per dropped connection.
 */
public final class TransportErrors implements DirectHandler {
    private static final System.Logger LOG = System.getLogger(TransportErrors.class.getName());

    private TransportErrors() {
    }

    /** @return direct handlers that answer every transport-level error */
    public static DirectHandlers handlers() {
        TransportErrors errors = new TransportErrors();
        DirectHandlers.Builder handlers = DirectHandlers.builder();
        for (EventType type : EventType.values()) {
            handlers.addHandler(type, errors);
        }
        return handlers.build();
    }

    @Override
    public TransportResponse handle(TransportRequest request, EventType eventType, Status defaultStatus,
                                    ServerResponseHeaders responseHeaders, String message) {
        Status status = defaultStatus;
        String type = "invalid_request";
        String error = "the request is not valid HTTP/1.1";
        if (eventType == EventType.HTTP_VERSION_NOT_SUPPORTED) {
            type = "http_version_not_supported";
            error = "only HTTP/1.1 is served; behind nginx, set proxy_http_version 1.1";
        } else if (status == Status.SERVICE_UNAVAILABLE_503) {
            type = "unavailable";
            error = "too many requests at once; send it again";
        } else if (status.code() >= 500) {
            status = Status.BAD_REQUEST_400;
        } else if (status == Status.REQUEST_ENTITY_TOO_LARGE_413) {
            error = "the body is too large";
        } else if (status == Status.REQUEST_URI_TOO_LONG_414) {
            error = "the request line is too long";
        }
        LOG.log(System.Logger.Level.DEBUG, "{0} {1} answered {2} before routing: {3}", request.method(),
                request.path(), status.code(), message == null ? eventType : message);
        byte[] body = ("{\"error\":\"" + error + "\",\"type\":\"" + type + "\"}").getBytes(StandardCharsets.UTF_8);
        return TransportResponse.builder()
                .status(status)
                .headers(responseHeaders)
                .header(HeaderValues.CONTENT_TYPE_JSON)
                .entity(body)
                .keepAlive(false)
                .build();
    }
}
