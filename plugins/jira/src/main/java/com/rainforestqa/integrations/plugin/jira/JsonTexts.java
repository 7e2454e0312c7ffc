package com.rainforestqa.integrations.plugin.jira;

import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

import java.io.StringReader;
import java.util.Optional;

/** Small readers for the JSON that settings and Jira's answers hold. */
final class JsonTexts {
    /** Looked up once: each {@code Json.create...} call would look the provider up again. */
    private static final JsonProvider JSON = JsonProvider.provider();

    private JsonTexts() {
    }

    /** A non-blank string member. */
    static Optional<String> text(JsonObject object, String member) {
        return object.get(member) instanceof JsonString string && !string.getString().isBlank()
                ? Optional.of(string.getString())
                : Optional.empty();
    }

    /** A body as a JSON object, or empty when it is not one (an HTML error page, a proxy's answer). */
    static Optional<JsonObject> object(String body) {
        if (body.isBlank()) {
            return Optional.empty();
        }
        try (JsonReader reader = JSON.createReader(new StringReader(body))) {
            return reader.readValue() instanceof JsonObject object ? Optional.of(object) : Optional.empty();
        } catch (JsonException e) {
            return Optional.empty();
        }
    }

    /** A member that is an array, or an empty array. */
    static JsonArray array(JsonObject object, String member) {
        return object.get(member) instanceof JsonArray array ? array : JsonValue.EMPTY_JSON_ARRAY;
    }
}
