package com.rainforestqa.integrations.testkit;

import static java.util.Objects.requireNonNull;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;

import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One request a {@link FakeTarget} received, as it came over the wire.
 *
 * @param method the HTTP method, for example {@code "POST"}
 * @param path the raw (still percent-encoded) path, for example {@code "/services/T1/B2/xyz"}
 * @param query the raw query without the {@code ?}, empty when there was none
 * @param headers the request headers by lower-case name, values in the order received
 * @param body the body decoded as UTF-8, empty when there was none
 * @param receivedAt when the request arrived, to check how long a client waited between attempts
 */
public record RecordedRequest(String method, String path, String query, Map<String, List<String>> headers,
        String body, Instant receivedAt) {

    /**
     * Checks and copies the components; header names are stored in lower case.
     *
     * @throws NullPointerException if a component is null
     */
    public RecordedRequest {
        requireNonNull(method, "method is null");
        requireNonNull(path, "path is null");
        requireNonNull(query, "query is null");
        requireNonNull(headers, "headers is null");
        requireNonNull(body, "body is null");
        requireNonNull(receivedAt, "receivedAt is null");
        Map<String, List<String>> lower = new TreeMap<>();
        headers.forEach((name, values) ->
                lower.computeIfAbsent(name.toLowerCase(Locale.ROOT), key -> new ArrayList<>()).addAll(values));
        lower.replaceAll((name, values) -> List.copyOf(values));
        headers = Map.copyOf(lower);
    }

    /**
     * A request received now.
     *
     * @param method the HTTP method
     * @param path the raw path
     * @param query the raw query, empty when there was none
     * @param headers the request headers
     * @param body the body
     */
    public RecordedRequest(String method, String path, String query, Map<String, List<String>> headers, String body) {
        this(method, path, query, headers, body, Instant.now());
    }

    /**
     * The first value of a header.
     *
     * @param name the header name, in any case
     * @return the value, or empty when the header was not sent
     */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    /**
     * The body parsed as a JSON object.
     *
     * @return the object
     * @throws jakarta.json.JsonException if the body is not JSON
     * @throws IllegalStateException if the body is JSON but not an object
     */
    public JsonObject json() {
        try (JsonReader reader = Json.createReader(new StringReader(body))) {
            if (reader.readValue() instanceof JsonObject object) {
                return object;
            }
        }
        throw new IllegalStateException("body is not a JSON object: " + body);
    }
}
