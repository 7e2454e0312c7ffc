package com.rainforestqa.integrations.host.plugin;

import com.rainforestqa.integrations.host.config.YamlDocuments;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Reads and checks a plugin's schema file; every problem becomes an {@link IllegalArgumentException} saying what. */
final class SchemaReader {
    private SchemaReader() {
    }

    static IntegrationSchema read(String yaml) {
        if (!(YamlDocuments.parse(yaml) instanceof JsonObject document)) {
            throw new IllegalArgumentException("the schema is not a YAML mapping");
        }
        String key = requiredString(document, "key", "the schema");
        String title = requiredString(document, "title", "the schema");
        List<String> events = strings(document.get("events"), "events");
        List<IntegrationSchema.Setting> settings = new ArrayList<>();
        JsonValue settingList = document.getOrDefault("settings", JsonValue.EMPTY_JSON_ARRAY);
        if (!(settingList instanceof JsonArray array)) {
            throw new IllegalArgumentException("\"settings\" must be a list");
        }
        Set<String> settingKeys = new LinkedHashSet<>();
        for (JsonValue entry : array) {
            if (!(entry instanceof JsonObject setting)) {
                throw new IllegalArgumentException("each entry of \"settings\" must be a mapping");
            }
            String settingKey = requiredString(setting, "key", "a setting");
            requiredString(setting, "title", "setting \"" + settingKey + "\"");
            if (!settingKeys.add(settingKey)) {
                throw new IllegalArgumentException("setting \"" + settingKey + "\" is declared twice");
            }
            settings.add(new IntegrationSchema.Setting(settingKey,
                    flag(setting, "required", settingKey), flag(setting, "secret", settingKey)));
        }
        Set<String> allowedHosts = new LinkedHashSet<>();
        if (document.get("outbound") instanceof JsonObject outbound) {
            allowedHosts.addAll(strings(outbound.get("allowed-hosts"), "outbound.allowed-hosts"));
        } else if (document.containsKey("outbound")) {
            throw new IllegalArgumentException("\"outbound\" must be a mapping");
        }

        Set<String> requestSettings = new LinkedHashSet<>();
        for (String name : strings(document.get("request-settings"), "request-settings")) {
            // A name the host does not know would never be filled: a typo, or a plugin for a newer host.
            if (!IntegrationSchema.REQUEST_SETTINGS.contains(name)) {
                throw new IllegalArgumentException("\"request-settings\" names \"" + name + "\", which is not a "
                        + "request-level setting; known: " + String.join(", ",
                        IntegrationSchema.REQUEST_SETTINGS.stream().sorted().toList()));
            }
            requestSettings.add(name);
        }

        JsonObjectBuilder json = Json.createObjectBuilder(document).remove("outbound").remove("request-settings");
        json.add("events", Json.createArrayBuilder(events));
        json.add("settings", array);
        return new IntegrationSchema(key, title, events, settings, allowedHosts, requestSettings, json.build());
    }

    private static String requiredString(JsonObject object, String member, String where) {
        if (object.get(member) instanceof JsonString string && !string.getString().isBlank()) {
            return string.getString();
        }
        throw new IllegalArgumentException(where + " needs a \"" + member + "\" string");
    }

    private static boolean flag(JsonObject setting, String member, String settingKey) {
        JsonValue value = setting.getOrDefault(member, JsonValue.FALSE);
        if (value == JsonValue.TRUE || value == JsonValue.FALSE) {
            return value == JsonValue.TRUE;
        }
        throw new IllegalArgumentException("\"" + member + "\" of setting \"" + settingKey + "\" must be true or false");
    }

    private static List<String> strings(JsonValue value, String member) {
        if (value == null || value == JsonValue.NULL) {
            return List.of();
        }
        if (!(value instanceof JsonArray array)) {
            throw new IllegalArgumentException("\"" + member + "\" must be a list");
        }
        List<String> strings = new ArrayList<>();
        for (JsonValue element : array) {
            if (!(element instanceof JsonString string)) {
                throw new IllegalArgumentException("\"" + member + "\" must list strings");
            }
            strings.add(string.getString());
        }
        return strings;
    }
}
