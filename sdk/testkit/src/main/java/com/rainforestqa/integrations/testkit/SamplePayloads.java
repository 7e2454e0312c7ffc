package com.rainforestqa.integrations.testkit;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
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

    /** How many feedback notes {@link #oversized} holds. */
    public static final int OVERSIZED_NOTES = 40;
    /** How many characters (code points) each of them has. */
    public static final int OVERSIZED_NOTE_LENGTH = 1_500;

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

    /**
     * The complete payload of an event type, made as large as real runs make it, to check a plugin against its
     * target's size limits: 40 feedback notes of 1,500 characters, a 2,000-character run description and a
     * 500-character test title, all of Japanese, emoji (outside the Basic Multilingual Plane, so two UTF-16 units and
     * four UTF-8 bytes each) and ASCII. None of it contains {@code ?}: Java's UTF-8 encoder writes a lone surrogate,
     * what a cut through an emoji leaves, as {@code ?}, so a {@code ?} in what a fake target received from this
     * payload shows a broken cut.
     *
     * @param eventType one of {@link #EVENT_TYPES}
     * @return the payload
     * @throws IllegalArgumentException for an unknown event type
     */
    public static JsonObject oversized(String eventType) {
        JsonObject complete = complete(eventType);
        JsonObjectBuilder payload = Json.createObjectBuilder(complete);
        if (complete.get("run") instanceof JsonObject run) {
            payload.add("run", Json.createObjectBuilder(run).add("description", longText("Run", 2_000)));
        }
        if (complete.get("failed_test") instanceof JsonObject test) {
            payload.add("failed_test", Json.createObjectBuilder(test).add("title", longText("Test", 500)));
        }
        if (complete.containsKey("feedback")) {
            JsonArrayBuilder notes = Json.createArrayBuilder();
            for (int i = 1; i <= OVERSIZED_NOTES; i++) {
                notes.add(Json.createObjectBuilder().add("worker_name", "テスター " + i)
                        .add("note", longText("Note " + i, OVERSIZED_NOTE_LENGTH)));
            }
            payload.add("feedback", notes);
        }
        return payload.build();
    }

    /**
     * A text of exactly this many code points, starting with a label, where emoji fall at odd and even UTF-16
     * offsets alike.
     */
    private static String longText(String label, int codePoints) {
        String unit = " ログインできません😀 button 🚀失敗した ";
        StringBuilder text = new StringBuilder(label).append(':');
        while (text.codePointCount(0, text.length()) < codePoints) {
            text.append(unit);
        }
        return text.substring(0, text.offsetByCodePoints(0, codePoints));
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
