package com.rainforestqa.integrations.host.http;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * CORS for the read-only endpoints: Rainforest's web app reads the schemas from the browser. Only the configured
 * origins get CORS headers, only for {@code GET} and pre-flight {@code OPTIONS}; {@code POST /events} is never
 * cross-origin.
 */
public final class Cors implements Filter {
    private static final HeaderName REQUEST_METHOD = HeaderNames.create("Access-Control-Request-Method");
    private static final List<String> READ_PATHS = List.of("/events", "/integrations");

    private final Set<String> allowedOrigins;

    /**
     * CORS for these origins.
     *
     * @param allowedOrigins origins such as {@code https://app.rainforestqa.com}; none disables CORS
     */
    public Cors(List<String> allowedOrigins) {
        this.allowedOrigins = Set.copyOf(allowedOrigins);
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest request, RoutingResponse response) {
        Method method = request.prologue().method();
        if (method != Method.GET && method != Method.OPTIONS) {
            // POST /events, by far the most frequent request, passes straight through.
            chain.proceed();
            return;
        }
        String path = request.path().path();
        boolean readPath = READ_PATHS.stream().anyMatch(read -> path.equals(read) || path.startsWith(read + "/"));
        Optional<String> origin = request.headers().first(HeaderNames.ORIGIN).filter(allowedOrigins::contains);
        if (readPath && method == Method.OPTIONS) {
            boolean readOnly = request.headers().first(REQUEST_METHOD).map("GET"::equalsIgnoreCase).orElse(true);
            if (origin.isPresent() && readOnly) {
                allow(response, origin.get());
                response.header(HeaderNames.ACCESS_CONTROL_ALLOW_METHODS, "GET, OPTIONS");
                response.header(HeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, "accept, content-type");
                response.header(HeaderNames.ACCESS_CONTROL_MAX_AGE, "600");
            }
            response.status(Status.NO_CONTENT_204).send();
            return;
        }
        if (readPath && method == Method.GET && origin.isPresent()) {
            allow(response, origin.get());
        }
        chain.proceed();
    }

    private static void allow(RoutingResponse response, String origin) {
        response.header(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        response.header(HeaderNames.VARY, "Origin");
    }
}
