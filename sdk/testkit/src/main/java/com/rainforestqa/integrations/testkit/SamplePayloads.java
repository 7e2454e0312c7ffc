package com.rainforestqa.integrations.testkit;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Payloads of every event type Rainforest sends, as a plugin receives them in {@link
 * com.rainforestqa.integrations.api.Event#payload()}: a complete one, with every field Rainforest fills, and a
 * minimal one, with only the top-level keys the host requires (each an empty object), which a plugin must handle
 * without failing.
 */
public final class SamplePayloads {
    /** Every event type, in the host's catalogue order. */
    public static final List<String> EVENT_TYPES = List.of(
            "run_completion", "run_error", "webhook_timeout", "run_test_failure", "integration_test");

    private SamplePayloads() {
    }

    /**
     * A payload with every field Rainforest fills for this event type.
     *
     * @param eventType one of {@link #EVENT_TYPES}
     * @return the payload
     * @throws IllegalArgumentException for an unknown event type
     */
    public static JsonObject complete(String eventType) {
        return read(eventType, "complete");
    }

    /**
     * The smallest payload the host accepts for this event type: its required keys, each an empty object.
     *
     * @param eventType one of {@link #EVENT_TYPES}
     * @return the payload
     * @throws IllegalArgumentException for an unknown event type
     */
    public static JsonObject minimal(String eventType) {
        return read(eventType, "minimal");
    }

    private static JsonObject read(String eventType, String kind) {
        if (!EVENT_TYPES.contains(eventType)) {
            throw new IllegalArgumentException("unknown event type \"" + eventType + "\"; known: "
                    + String.join(", ", EVENT_TYPES));
        }
        String resource = "samples/" + eventType + "." + kind + ".json";
        try (InputStream in = SamplePayloads.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the test kit");
            }
            try (JsonReader reader = Json.createReader(in)) {
                return reader.readObject();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
