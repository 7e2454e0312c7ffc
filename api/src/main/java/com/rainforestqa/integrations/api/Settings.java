package com.rainforestqa.integrations.api;

import static java.util.Objects.requireNonNull;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A user's settings for one integration, as sent with an event (tokens, URLs, project keys).
 *
 * <p>Values that are JSON {@code null} or empty strings count as absent. Many values are secrets: {@link #toString()}
 * names the keys only, and plugins must never put a value into a log line or an exception message.
 */
public final class Settings {
    private final Map<String, JsonValue> values;

    private Settings(Map<String, JsonValue> values) {
        this.values = values;
    }

    /**
     * Settings from a map of JSON values. Null and empty-string values are dropped.
     *
     * @param values the settings by key
     * @return the settings
     */
    public static Settings of(Map<String, ? extends JsonValue> values) {
        requireNonNull(values, "values is null");
        Map<String, JsonValue> present = new LinkedHashMap<>();
        values.forEach((key, value) -> {
            requireNonNull(key, "key is null");
            if (!isAbsent(value)) {
                present.put(key, value);
            }
        });
        return new Settings(java.util.Collections.unmodifiableMap(present));
    }

    /**
     * Settings in either shape Rainforest sends: an object ({@code {"url": "..."}}) or a list of
     * {@code {"key": ..., "value": ...}} entries.
     *
     * @param json the {@code settings} member of a request's integration entry; null means no settings
     * @return the settings
     * @throws IllegalArgumentException if the JSON has neither shape, or a key appears twice in the list form; the
     *         message names keys, never values
     */
    public static Settings fromJson(JsonValue json) {
        if (isAbsent(json)) {
            return of(Map.of());
        }
        if (json instanceof JsonObject object) {
            return of(object);
        }
        if (json instanceof JsonArray array) {
            Map<String, JsonValue> entries = new LinkedHashMap<>();
            for (JsonValue element : array) {
                if (!(element instanceof JsonObject entry) || !(entry.get("key") instanceof JsonString key)) {
                    throw new IllegalArgumentException("each settings entry must be an object with a string \"key\"");
                }
                if (entries.put(key.getString(), entry.getOrDefault("value", JsonValue.NULL)) != null) {
                    throw new IllegalArgumentException("setting \"" + key.getString() + "\" is given twice");
                }
            }
            return of(entries);
        }
        throw new IllegalArgumentException("settings must be an object or a list of {\"key\", \"value\"} entries");
    }

    /**
     * A setting the integration cannot work without, as text.
     *
     * @param key the setting's key
     * @return the value, never empty
     * @throws IntegrationException of type {@link ErrorType#MISCONFIGURED_INTEGRATION} naming the key, when absent
     */
    public String required(String key) {
        return optional(key).orElseThrow(() -> new IntegrationException(ErrorType.MISCONFIGURED_INTEGRATION,
                "required setting \"" + key + "\" is missing"));
    }

    /**
     * A setting the integration cannot work without that holds an absolute {@code http} or {@code https} URL with a
     * host, such as a webhook URL. Surrounding blanks are ignored.
     *
     * @param key the setting's key
     * @param expected what a valid value looks like, for the user, for example
     *                 {@code "a Slack webhook URL such as https://hooks.slack.com/services/..."}
     * @return the URL
     * @throws IntegrationException of type {@link ErrorType#MISCONFIGURED_INTEGRATION} when absent, or of type
     *         {@link ErrorType#USER_CONFIGURATION_ERROR} when not such a URL; the message names the key and never the
     *         value, since URLs often carry credentials
     */
    public URI requiredUrl(String key, String expected) {
        String value = required(key).strip();
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("https") || scheme.equals("http")) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below, without the parser's message: it quotes the value
        }
        throw new IntegrationException(ErrorType.USER_CONFIGURATION_ERROR,
                "setting \"" + key + "\" is not an absolute http(s) URL; expected " + expected);
    }

    /**
     * An optional setting, as text. Numbers and booleans are given as their JSON text; objects and arrays are absent
     * here (see {@link #json(String)}).
     *
     * @param key the setting's key
     * @return the value, or empty when absent
     */
    public Optional<String> optional(String key) {
        return JsonText.text(values.get(key));
    }

    /**
     * A setting as raw JSON, for structured settings such as OAuth credentials.
     *
     * @param key the setting's key
     * @return the value, or empty when absent
     */
    public Optional<JsonValue> json(String key) {
        return Optional.ofNullable(values.get(key));
    }

    /**
     * The keys of the settings that are present.
     *
     * @return the keys, in request order
     */
    public Set<String> keys() {
        return values.keySet();
    }

    /**
     * Whether a setting is present.
     *
     * @param key the setting's key
     * @return true when present and not empty
     */
    public boolean has(String key) {
        return values.containsKey(key);
    }

    /**
     * Names the keys only: values are often secrets.
     *
     * @return for example {@code "Settings[url]"}
     */
    @Override
    public String toString() {
        return "Settings" + values.keySet();
    }

    private static boolean isAbsent(JsonValue value) {
        return value == null
                || value.getValueType() == JsonValue.ValueType.NULL
                || value instanceof JsonString string && string.getString().isEmpty();
    }
}
