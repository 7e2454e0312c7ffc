package com.rainforestqa.integrations.host.delivery;

import com.rainforestqa.integrations.api.ErrorType;
import com.rainforestqa.integrations.api.Event;
import com.rainforestqa.integrations.api.Settings;
import com.rainforestqa.integrations.host.plugin.IntegrationSchema;
import com.rainforestqa.integrations.host.plugin.LoadedIntegration;
import com.rainforestqa.integrations.host.plugin.PluginRegistry;

import jakarta.json.JsonArray;
import jakarta.json.JsonConfig;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParsingException;

import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads and validates a whole {@code POST /events} body before anything is sent: the JSON, the event type and its
 * payload, that every integration is loaded, and that each has its required settings.
 */
public final class RequestParser {
    /** Looked up once: each {@code Json.create...} call would look the provider up again. */
    private static final JsonProvider JSON = JsonProvider.provider();

    /** Error type of a request the host cannot read or does not accept. */
    public static final String INVALID_REQUEST = "invalid_request";
    /** Error type of a request naming an integration no loaded plugin provides. */
    public static final String UNSUPPORTED_INTEGRATION = "unsupported_integration";

    /**
     * Setting under which integrations whose schema asks for it ({@code request-settings: [oauth_consumer]}) find the
     * request's {@code oauth_consumer}; always treated as secret.
     */
    public static final String OAUTH_CONSUMER = "oauth_consumer";

    private static final int MAX_EVENT_ID = 255;

    private static final JsonReaderFactory READERS = JSON.createReaderFactory(Map.of(
            // A key given twice is ambiguous (which URL did the user mean?), so it is an error, not a guess.
            JsonConfig.KEY_STRATEGY, JsonConfig.KeyStrategy.NONE));

    private final EventCatalog catalog;
    private final PluginRegistry plugins;
    private final int maxIntegrations;

    /**
     * A parser for the given catalogue and plugins.
     *
     * @param catalog the known events
     * @param plugins the loaded integrations
     * @param maxIntegrations how many integrations one request may name
     */
    public RequestParser(EventCatalog catalog, PluginRegistry plugins, int maxIntegrations) {
        this.catalog = catalog;
        this.plugins = plugins;
        this.maxIntegrations = maxIntegrations;
    }

    /**
     * Parses and validates a request body.
     *
     * @param body the raw body
     * @param idempotencyKey the {@code Idempotency-Key} header, used as the event id when the body has none
     * @return the validated request
     * @throws RejectedRequest saying what is wrong; messages name keys, never setting values
     */
    public EventRequest parse(byte[] body, Optional<String> idempotencyKey) {
        JsonObject request = readObject(body);

        String eventType = string(request, "event_type")
                .orElseThrow(() -> invalid("\"event_type\" is required"));
        if (!catalog.contains(eventType)) {
            throw invalid("unknown event_type \"" + eventType + "\"; known: " + String.join(", ", catalog.eventTypes()));
        }
        Optional<String> eventId = string(request, "event_id").or(() -> idempotencyKey.filter(key -> !key.isBlank()));
        if (eventId.isPresent() && eventId.get().length() > MAX_EVENT_ID) {
            throw invalid("the event id is longer than " + MAX_EVENT_ID + " characters");
        }

        JsonValue payloadValue = request.get("payload");
        JsonObject payload;
        if (payloadValue == null || payloadValue.getValueType() == JsonValue.ValueType.NULL) {
            payload = JsonValue.EMPTY_JSON_OBJECT;
        } else if (payloadValue instanceof JsonObject object) {
            payload = object;
        } else {
            throw invalid("\"payload\" must be an object");
        }
        catalog.problemWith(eventType, payload).ifPresent(problem -> {
            throw invalid(problem);
        });

        if (!(request.get("integrations") instanceof JsonArray entries)) {
            throw invalid("\"integrations\" must be a list of {\"key\", \"settings\"}");
        }
        if (entries.isEmpty()) {
            throw invalid("\"integrations\" lists no integration");
        }
        // Each entry costs an outbound request, a thread and a stored delivery: one signed request must not fan out
        // without bound.
        if (entries.size() > maxIntegrations) {
            throw invalid("\"integrations\" lists " + entries.size() + " integrations; at most " + maxIntegrations
                    + " are accepted in one event (integrations.max-integrations-per-event)");
        }
        JsonValue oauthConsumer = request.get("oauth_consumer");
        if (oauthConsumer != null && oauthConsumer.getValueType() != JsonValue.ValueType.NULL
                && oauthConsumer.getValueType() != JsonValue.ValueType.OBJECT) {
            throw invalid("\"oauth_consumer\" must be an object");
        }
        // Every event gets an id: it names the event in answers, the delivery API and the log, and the target
        // sees the same one on every retry.
        String id = eventId.orElseGet(RequestParser::timeOrderedId);
        return new EventRequest(new Event(eventType, Optional.of(id), payload), targets(entries, oauthConsumer),
                eventId.isEmpty());
    }

    /**
     * A UUID version 7: the time in milliseconds, then random bits. Ids made one after the other sort together, so
     * the store's indexes grow at one end instead of at random places.
     */
    static String timeOrderedId() {
        UUID random = UUID.randomUUID();
        long high = (System.currentTimeMillis() << 16) | 0x7000L | (random.getMostSignificantBits() & 0x0FFFL);
        return new UUID(high, random.getLeastSignificantBits()).toString();
    }

    private List<EventRequest.Target> targets(JsonArray entries, JsonValue oauthConsumer) {
        List<EventRequest.Target> targets = new ArrayList<>();
        List<DeliveryResult> checks = new ArrayList<>();
        boolean unsupported = false;
        boolean misconfigured = false;
        for (JsonValue entry : entries) {
            if (!(entry instanceof JsonObject object) || !(object.get("key") instanceof JsonString keyValue)) {
                throw invalid("each entry of \"integrations\" must be an object with a string \"key\"");
            }
            String key = keyValue.getString();
            Settings own;
            try {
                own = Settings.fromJson(object.get("settings"));
            } catch (IllegalArgumentException e) {
                throw invalid("integration \"" + key + "\": " + e.getMessage());
            }
            Optional<LoadedIntegration> loaded = plugins.find(key);
            if (loaded.isEmpty()) {
                unsupported = true;
                checks.add(DeliveryResult.failed(key, UNSUPPORTED_INTEGRATION,
                        "no integration \"" + key + "\" is installed"));
                continue;
            }
            Settings settings = loaded.get().schema().requestSettings().contains(OAUTH_CONSUMER)
                    ? withOauthConsumer(own, oauthConsumer) : own;
            List<String> missing = loaded.get().schema().settings().stream()
                    .filter(IntegrationSchema.Setting::required)
                    .map(IntegrationSchema.Setting::key)
                    .filter(required -> !settings.has(required))
                    .toList();
            if (!missing.isEmpty()) {
                misconfigured = true;
                checks.add(DeliveryResult.failed(key, ErrorType.MISCONFIGURED_INTEGRATION.code(),
                        "missing required settings: " + String.join(", ", missing)));
                continue;
            }
            checks.add(null);
            targets.add(new EventRequest.Target(loaded.get(), settings));
        }
        if (unsupported || misconfigured) {
            List<DeliveryResult> results = new ArrayList<>();
            int index = 0;
            for (JsonValue entry : entries) {
                DeliveryResult check = checks.get(index++);
                results.add(check != null ? check : DeliveryResult.skipped(entry.asJsonObject().getString("key"),
                        "not sent: the request was rejected"));
            }
            // An unknown integration is the graver problem: it is named even when another one lacks settings.
            String type = unsupported ? UNSUPPORTED_INTEGRATION : ErrorType.MISCONFIGURED_INTEGRATION.code();
            DeliveryResult named = results.stream().filter(result -> type.equals(result.type().orElse("")))
                    .findFirst().orElseThrow();
            throw new RejectedRequest(type, named.key() + ": " + named.message().orElse(""), results);
        }
        return targets;
    }

    /**
     * The request's top-level {@code oauth_consumer} (the OAuth 1.0a consumer key and private keys Rainforest holds)
     * as the setting {@code oauth_consumer}, unless the integration's own settings have one. Only for integrations
     * whose schema asks for it: the private key is meant for Jira, not for every plugin of the request.
     */
    private static Settings withOauthConsumer(Settings settings, JsonValue oauthConsumer) {
        if (oauthConsumer == null || oauthConsumer.getValueType() != JsonValue.ValueType.OBJECT
                || settings.has(OAUTH_CONSUMER)) {
            return settings;
        }
        Map<String, JsonValue> values = new LinkedHashMap<>();
        settings.keys().forEach(key -> values.put(key, settings.json(key).orElseThrow()));
        values.put(OAUTH_CONSUMER, oauthConsumer);
        return Settings.of(values);
    }

    private static JsonObject readObject(byte[] body) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException e) {
            throw invalid("the body is not valid UTF-8");
        }
        JsonValue value;
        try (JsonReader reader = READERS.createReader(new StringReader(text))) {
            value = reader.readValue();
        } catch (JsonParsingException e) {
            throw invalid("the body is not valid JSON: " + e.getMessage());
        } catch (RuntimeException e) {
            // Parsson signals some limits (nesting depth, for one) with plain runtime exceptions.
            throw invalid("the body is not valid JSON");
        }
        if (!(value instanceof JsonObject object)) {
            throw invalid("the body must be a JSON object");
        }
        return object;
    }

    private static Optional<String> string(JsonObject object, String member) {
        JsonValue value = object.get(member);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return Optional.empty();
        }
        if (!(value instanceof JsonString string)) {
            throw invalid("\"" + member + "\" must be a string");
        }
        return string.getString().isEmpty() ? Optional.empty() : Optional.of(string.getString());
    }

    private static RejectedRequest invalid(String message) {
        return new RejectedRequest(INVALID_REQUEST, message);
    }
}
