package com.rainforestqa.integrations.host.plugin;

import static java.util.Objects.requireNonNull;

import jakarta.json.JsonObject;

import java.util.List;
import java.util.Set;

/**
 * The settings schema an integration bundles in {@code META-INF/integrations/<key>.yaml}.
 *
 * @param key the integration's key
 * @param title its display name
 * @param events the run events it handles ({@code integration_test} is always handled and need not be listed)
 * @param settings its settings, in schema order
 * @param allowedHosts hosts the plugin may reach; empty means the schema does not restrict hosts
 * @param requestSettings the request-level values ({@link #REQUEST_SETTINGS}) the integration asks for; a request's
 *                        value reaches only integrations that ask for it, since it may be a credential meant for one
 * @param json the schema as served by {@code GET /integrations}: every attribute the file declares except
 *             {@code outbound} and {@code request-settings}, which are for the host alone
 */
public record IntegrationSchema(String key, String title, List<String> events, List<Setting> settings,
                                Set<String> allowedHosts, Set<String> requestSettings, JsonObject json) {
    /**
     * The request-level values a schema may ask for under {@code request-settings}: {@code oauth_consumer}, the OAuth
     * 1.0a consumer key and private key that Rainforest sends once per request, for Jira.
     */
    public static final Set<String> REQUEST_SETTINGS = Set.of("oauth_consumer");

    /** Checks and copies the components. */
    public IntegrationSchema {
        requireNonNull(key, "key is null");
        requireNonNull(title, "title is null");
        events = List.copyOf(events);
        settings = List.copyOf(settings);
        allowedHosts = Set.copyOf(allowedHosts);
        requestSettings = Set.copyOf(requestSettings);
        requireNonNull(json, "json is null");
    }

    /**
     * Whether the integration wants events of this type.
     *
     * @param eventType the event type
     * @return true when listed, and always for {@code integration_test}
     */
    public boolean handles(String eventType) {
        return "integration_test".equals(eventType) || events.contains(eventType);
    }

    /**
     * One setting of an integration.
     *
     * @param key the setting's key in requests
     * @param required whether a request must carry it
     * @param secret whether its value must never be logged or echoed
     */
    public record Setting(String key, boolean required, boolean secret) {
        /** Checks the components. */
        public Setting {
            requireNonNull(key, "key is null");
        }
    }
}
