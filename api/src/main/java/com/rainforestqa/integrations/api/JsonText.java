package com.rainforestqa.integrations.api;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.util.Optional;
import java.util.OptionalLong;

/** Lenient reading of scalar JSON values: Rainforest has sent ids and counts both as numbers and as strings. */
final class JsonText {
    private JsonText() {
    }

    /** A scalar as text; absent for null, empty strings, objects and arrays. */
    static Optional<String> text(JsonValue value) {
        if (value == null) {
            return Optional.empty();
        }
        String text = switch (value.getValueType()) {
            case STRING -> ((JsonString) value).getString();
            case NUMBER -> numberText((JsonNumber) value);
            case TRUE -> "true";
            case FALSE -> "false";
            default -> "";
        };
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    static Optional<String> text(JsonObject object, String key) {
        return object == null ? Optional.empty() : text(object.get(key));
    }

    static OptionalLong number(JsonObject object, String key) {
        JsonValue value = object == null ? null : object.get(key);
        if (value instanceof JsonNumber number) {
            return OptionalLong.of(Math.round(number.doubleValue()));
        }
        Optional<String> text = text(value);
        if (text.isPresent()) {
            try {
                return OptionalLong.of(Math.round(Double.parseDouble(text.get().trim())));
            } catch (NumberFormatException e) {
                return OptionalLong.empty();
            }
        }
        return OptionalLong.empty();
    }

    static Optional<JsonObject> object(JsonObject object, String key) {
        return object != null && object.get(key) instanceof JsonObject nested ? Optional.of(nested) : Optional.empty();
    }

    private static String numberText(JsonNumber number) {
        return number.isIntegral() ? number.bigIntegerValue().toString() : number.bigDecimalValue().toPlainString();
    }
}
