package com.rainforestqa.integrations.api;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP request a plugin asks the host to send.
 *
 * <p>Build one with {@link #get(URI)} or {@link #post(URI, String)} and add headers with {@link #withHeader}. Header
 * names are kept as given; the host treats them case-insensitively. Values of {@code Authorization} and similar
 * headers are never logged by the host.
 *
 * @param method the HTTP method, upper case
 * @param uri the absolute {@code http} or {@code https} URI
 * @param headers request headers, one value per name
 * @param body the request body, empty for none
 */
public record OutboundRequest(String method, URI uri, Map<String, String> headers, byte[] body) {

    /**
     * Checks and copies the components.
     *
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if the URI is not absolute
     */
    public OutboundRequest {
        requireNonNull(method, "method is null");
        requireNonNull(uri, "uri is null");
        requireNonNull(headers, "headers is null");
        requireNonNull(body, "body is null");
        if (!uri.isAbsolute()) {
            throw new IllegalArgumentException("uri is not absolute: " + uri.getScheme() + "://" + uri.getHost());
        }
        method = method.toUpperCase(Locale.ROOT);
        headers = Map.copyOf(headers);
        body = body.clone();
    }

    /**
     * A {@code GET} request without headers.
     *
     * @param uri the absolute URI
     * @return the request
     */
    public static OutboundRequest get(URI uri) {
        return new OutboundRequest("GET", uri, Map.of(), new byte[0]);
    }

    /**
     * A {@code POST} of a JSON document, with {@code Content-Type: application/json} and
     * {@code Accept: application/json}.
     *
     * @param uri the absolute URI
     * @param json the JSON text, sent as UTF-8
     * @return the request
     */
    public static OutboundRequest post(URI uri, String json) {
        return new OutboundRequest("POST", uri,
                Map.of("Content-Type", "application/json", "Accept", "application/json"),
                json.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A copy of this request with one more header, replacing any header of the same name (ignoring case).
     *
     * @param name the header name
     * @param value the header value
     * @return the new request
     */
    public OutboundRequest withHeader(String name, String value) {
        requireNonNull(name, "name is null");
        requireNonNull(value, "value is null");
        Map<String, String> copy = new LinkedHashMap<>();
        headers.forEach((existing, existingValue) -> {
            if (!existing.equalsIgnoreCase(name)) {
                copy.put(existing, existingValue);
            }
        });
        copy.put(name, value);
        return new OutboundRequest(method, uri, copy, body);
    }

    /**
     * The body; a copy, so the request stays unchanged.
     *
     * @return the body bytes
     */
    @Override
    public byte[] body() {
        return body.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof OutboundRequest that
                && method.equals(that.method)
                && uri.equals(that.uri)
                && headers.equals(that.headers)
                && Arrays.equals(body, that.body);
    }

    @Override
    public int hashCode() {
        return ((method.hashCode() * 31 + uri.hashCode()) * 31 + headers.hashCode()) * 31 + Arrays.hashCode(body);
    }

    /**
     * Names the method and the target host only: paths, queries and headers may hold credentials.
     *
     * @return for example {@code "POST https://hooks.slack.com"}
     */
    @Override
    public String toString() {
        return method + " " + uri.getScheme() + "://" + uri.getHost();
    }
}
