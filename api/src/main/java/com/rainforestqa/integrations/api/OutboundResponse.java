package com.rainforestqa.integrations.api;

import static java.util.Objects.requireNonNull;

import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.spi.JsonProvider;

import java.io.StringReader;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The answer of a target service to an {@link OutboundRequest}.
 *
 * @param status the HTTP status code
 * @param headers response headers by lower-case name
 * @param body the response body decoded as UTF-8; the host may cut long bodies short
 */
public record OutboundResponse(int status, Map<String, List<String>> headers, String body) {

    /**
     * Checks and copies the components; header names are stored in lower case.
     *
     * @throws NullPointerException if a component is null
     */
    public OutboundResponse {
        requireNonNull(headers, "headers is null");
        requireNonNull(body, "body is null");
        Map<String, List<String>> lower = new TreeMap<>();
        headers.forEach((name, values) -> lower.merge(name.toLowerCase(Locale.ROOT), List.copyOf(values),
                (a, b) -> java.util.stream.Stream.concat(a.stream(), b.stream()).toList()));
        headers = Map.copyOf(lower);
    }

    /**
     * The first value of a header.
     *
     * @param name the header name, in any case
     * @return the value, or empty when the header is absent
     */
    public Optional<String> header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    /**
     * Whether the status is 2xx.
     *
     * @return true for a success status
     */
    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    /**
     * The body as a JSON object, to read a target's answer or the details of its refusal.
     *
     * @return the object; empty when the body is blank or not a JSON object (an HTML error page, a proxy's answer)
     */
    public Optional<JsonObject> jsonObject() {
        if (body.isBlank()) {
            return Optional.empty();
        }
        try (JsonReader reader = Provider.JSON.createReader(new StringReader(body))) {
            return reader.readValue() instanceof JsonObject object ? Optional.of(object) : Optional.empty();
        } catch (JsonException e) {
            return Optional.empty();
        }
    }

    /** Looked up on first use, once: each {@code Json.create...} call would look the provider up again. */
    private static final class Provider {
        static final JsonProvider JSON = JsonProvider.provider();
    }
}
