package com.rainforestqa.integrations.host.delivery;

import static java.util.Objects.requireNonNull;

import com.rainforestqa.integrations.api.Event;
import com.rainforestqa.integrations.api.Settings;
import com.rainforestqa.integrations.host.plugin.LoadedIntegration;

import java.util.List;

/**
 * A {@code POST /events} request that passed validation: a known event with an acceptable payload, and integrations
 * that are all loaded and have their required settings.
 *
 * @param event the event
 * @param targets the integrations to notify, in request order
 * @param idGenerated whether the event's id was made here, the request having none (so no earlier copy exists)
 */
public record EventRequest(Event event, List<Target> targets, boolean idGenerated) {
    /** Checks and copies the components. */
    public EventRequest {
        requireNonNull(event, "event is null");
        if (event.eventId().isEmpty()) {
            throw new IllegalArgumentException("the event has no id");
        }
        targets = List.copyOf(targets);
    }

    /** @return the event's id, given or generated */
    public String eventId() {
        return event.eventId().orElseThrow();
    }

    /**
     * One requested integration.
     *
     * @param integration the loaded integration
     * @param settings the user's settings for it
     */
    public record Target(LoadedIntegration integration, Settings settings) {
        /** Checks the components. */
        public Target {
            requireNonNull(integration, "integration is null");
            requireNonNull(settings, "settings is null");
        }

        /** @return the integration's key */
        public String key() {
            return integration.key();
        }
    }
}
