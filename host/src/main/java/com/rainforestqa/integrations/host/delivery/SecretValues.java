package com.rainforestqa.integrations.host.delivery;

import com.rainforestqa.integrations.api.Settings;
import com.rainforestqa.integrations.host.plugin.IntegrationSchema;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The values of a delivery's settings that must never leave the host: those of every setting its plugin's schema
 * declares secret, and the OAuth consumer's. Structured values count with every string and number inside them.
 */
final class SecretValues {
    private SecretValues() {
    }

    /**
     * @param schema the integration's schema
     * @param settings the delivery's settings
     * @return the secret values, in the order the schema names them
     */
    static Set<String> of(IntegrationSchema schema, Settings settings) {
        Set<String> secrets = new LinkedHashSet<>();
        for (IntegrationSchema.Setting setting : schema.settings()) {
            if (setting.secret()) {
                settings.json(setting.key()).ifPresent(value -> collectStrings(value, secrets));
            }
        }
        settings.json(RequestParser.OAUTH_CONSUMER).ifPresent(value -> collectStrings(value, secrets));
        return secrets;
    }

    private static void collectStrings(JsonValue value, Set<String> strings) {
        switch (value) {
            case JsonString string -> strings.add(string.getString());
            case JsonNumber number -> strings.add(number.toString());
            case JsonObject object -> object.values().forEach(nested -> collectStrings(nested, strings));
            case JsonArray array -> array.forEach(nested -> collectStrings(nested, strings));
            default -> {
            }
        }
    }
}
