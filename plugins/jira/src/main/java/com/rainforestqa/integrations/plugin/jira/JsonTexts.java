package com.rainforestqa.integrations.plugin.jira;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.util.Optional;

/** Small readers for the JSON that settings and Jira's answers hold. */
final class JsonTexts {
    private JsonTexts() {
    }

    /** A non-blank string member. */
    static Optional<String> text(JsonObject object, String member) {
        return object.get(member) instanceof JsonString string && !string.getString().isBlank()
                ? Optional.of(string.getString())
                : Optional.empty();
    }

    /** A member that is an array, or an empty array. */
    static JsonArray array(JsonObject object, String member) {
        return object.get(member) instanceof JsonArray array ? array : JsonValue.EMPTY_JSON_ARRAY;
    }
}
