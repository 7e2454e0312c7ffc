package com.rainforestqa.integrations.host.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.Handler;

import jakarta.json.spi.JsonProvider;

/** The {@code 405} of a path that exists, for the methods it does not serve, with the {@code Allow} it does. */
final class MethodNotAllowed {
    private static final JsonProvider JSON = JsonProvider.provider();

    private MethodNotAllowed() {
    }

    /**
     * @param allowed the methods the path serves, as the {@code Allow} header lists them
     * @return a handler for every other method; register it after the path's own handlers
     */
    static Handler allowing(String allowed) {
        return (request, response) -> {
            response.header(HeaderNames.ALLOW, allowed);
            JsonResponses.send(response, Status.METHOD_NOT_ALLOWED_405, JSON.createObjectBuilder()
                    .add("error", request.prologue().method().text() + " is not served here; use " + allowed)
                    .add("type", "method_not_allowed")
                    .build());
        };
    }
}
