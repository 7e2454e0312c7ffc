package com.rainforestqa.integrations.host.delivery;

import com.rainforestqa.integrations.host.config.YamlDocuments;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The event types the host accepts, from the {@code events.yaml} resource, with the payload keys each requires. */
public final class EventCatalog {
    /** Looked up once: each {@code Json.create...} call would look the provider up again. */
    private static final JsonProvider JSON = JsonProvider.provider();

    /** Each event type's required payload keys, as a list: every request iterates them, and a list is cheapest. */
    private final Map<String, List<String>> requiredKeys;
    private final JsonArray json;

    private EventCatalog(Map<String, List<String>> requiredKeys, JsonArray json) {
        this.requiredKeys = requiredKeys;
        this.json = json;
    }

    /**
     * Reads the catalogue bundled with the host.
     *
     * @return the catalogue
     */
    public static EventCatalog load() {
        try (InputStream in = EventCatalog.class.getResourceAsStream("events.yaml")) {
            if (in == null) {
                throw new IllegalStateException("events.yaml is missing from the host jar");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static EventCatalog parse(String yaml) {
        JsonObject document = YamlDocuments.parse(yaml).asJsonObject();
        Map<String, List<String>> requiredKeys = new LinkedHashMap<>();
        JsonArrayBuilder json = JSON.createArrayBuilder();
        document.forEach((key, value) -> {
            JsonObject event = value.asJsonObject();
            JsonObject payload = event.getJsonObject("payload");
            requiredKeys.put(key, List.copyOf(payload.keySet()));
            json.add(JSON.createObjectBuilder()
                    .add("key", key)
                    .add("title", event.getString("title"))
                    .add("description", event.getString("description"))
                    .add("payload", payload));
        });
        return new EventCatalog(java.util.Collections.unmodifiableMap(requiredKeys), json.build());
    }

    /** @return the catalogue as served by {@code GET /events} */
    public JsonArray json() {
        return json;
    }

    /** @return whether the host knows this event type */
    public boolean contains(String eventType) {
        return requiredKeys.containsKey(eventType);
    }

    /** @return the event types, in catalogue order */
    public List<String> eventTypes() {
        return List.copyOf(requiredKeys.keySet());
    }

    /**
     * Checks a payload against its event type: every required top-level key is present, as an object.
     *
     * @param eventType a known event type
     * @param payload the payload
     * @return what is wrong, or empty when the payload is acceptable
     */
    public Optional<String> problemWith(String eventType, JsonObject payload) {
        for (String key : requiredKeys.get(eventType)) {
            JsonValue value = payload.get(key);
            if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
                return Optional.of("payload is missing \"" + key + "\", which " + eventType + " requires");
            }
            if (value.getValueType() != JsonValue.ValueType.OBJECT) {
                return Optional.of("payload \"" + key + "\" must be an object");
            }
        }
        return Optional.empty();
    }
}
