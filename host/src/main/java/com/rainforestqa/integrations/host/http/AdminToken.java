package com.rainforestqa.integrations.host.http;

import static java.util.Objects.requireNonNull;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * The operators' bearer token, {@code integrations.admin.token}, as a filter of the operator socket's routing: when
 * it is set, every request there needs {@code Authorization: Bearer <token>}, compared in constant time, except the
 * health check, which probes call without credentials. Without a token the filter lets everything through; the
 * socket's bind address is then the only guard.
 *
 * <p>A refused request is answered 401 with {@code WWW-Authenticate: Bearer} and the JSON error of
 * {@link ErrorResponses}, sent by the filter itself: the routing's error handling would answer it outside the filter
 * chain, where {@link ConnectionClose} does not see it, and the connection would stay open after a
 * {@code Connection: close}.
 */
public final class AdminToken implements Filter {
    /** The health check's path and the prefix of its sub-paths ({@code /live}, {@code /ready}, ...). */
    public static final String HEALTH_PATH = "/observe/health";

    private final Optional<byte[]> token;

    /**
     * The filter for a token.
     *
     * @param token the token callers must present; empty admits every caller
     */
    public AdminToken(Optional<String> token) {
        this.token = requireNonNull(token, "token is null").map(value -> value.getBytes(StandardCharsets.UTF_8));
    }

    /** @return whether a token is configured */
    public boolean isSet() {
        return token.isPresent();
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest request, RoutingResponse response) {
        if (token.isPresent() && !isHealthCheck(request)) {
            try {
                check(request, response);
            } catch (ApiError refused) {
                ErrorResponses.send(response, refused);
                return;
            }
        }
        chain.proceed();
    }

    /**
     * Refuses a request that does not present the configured token.
     *
     * @param request the request
     * @param response its response, which gets {@code WWW-Authenticate} when the request is refused
     * @throws IllegalStateException if no token is configured
     * @throws ApiError 401 when the header is missing or the token is wrong
     */
    void check(ServerRequest request, ServerResponse response) {
        byte[] expected = token.orElseThrow(() -> new IllegalStateException("no admin token is configured"));
        Optional<String> presented = request.headers().first(HeaderNames.AUTHORIZATION)
                .filter(value -> value.regionMatches(true, 0, "Bearer ", 0, 7))
                .map(value -> value.substring(7).strip());
        if (presented.isEmpty() || !MessageDigest.isEqual(expected, presented.get().getBytes(StandardCharsets.UTF_8))) {
            response.header(HeaderNames.WWW_AUTHENTICATE, "Bearer");
            throw new ApiError(Status.UNAUTHORIZED_401, "unauthorized", presented.isEmpty()
                    ? "the Authorization: Bearer header is missing" : "the bearer token is wrong");
        }
    }

    /**
     * Reads of the health check. The routing matches the same normalised path, so a path that only starts like the
     * health check (with {@code ..} segments, say) cannot reach another route past the token.
     */
    private static boolean isHealthCheck(ServerRequest request) {
        Method method = request.prologue().method();
        String path = request.path().path();
        return (method == Method.GET || method == Method.HEAD)
                && (path.equals(HEALTH_PATH) || path.startsWith(HEALTH_PATH + "/"));
    }
}
