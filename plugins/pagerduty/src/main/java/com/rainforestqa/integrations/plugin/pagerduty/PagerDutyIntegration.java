package com.rainforestqa.integrations.plugin.pagerduty;

import com.rainforestqa.integrations.api.ErrorType;
import com.rainforestqa.integrations.api.Event;
import com.rainforestqa.integrations.api.Integration;
import com.rainforestqa.integrations.api.IntegrationContext;
import com.rainforestqa.integrations.api.IntegrationException;
import com.rainforestqa.integrations.api.OutboundRequest;
import com.rainforestqa.integrations.api.Outcome;
import com.rainforestqa.integrations.api.Settings;

import jakarta.json.JsonObject;

import java.net.URI;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;

/**
 * Raises PagerDuty alerts through the Events API v2: setting {@code routing_key}, the integration key of a service's
 * Events API v2 integration (a secret: anyone holding it can page the service), and {@code severity}, one of
 * {@code critical}, {@code error} (the default), {@code warning} or {@code info}. The API's base URL is the operator's
 * {@code plugins.pagerduty.api-url}, by default PagerDuty's public one. Stateless.
 */
public final class PagerDutyIntegration implements Integration {
    static final String KEY = "pagerduty";
    static final String ROUTING_KEY = "routing_key";
    static final String SEVERITY = "severity";
    static final String DEFAULT_SEVERITY = "error";
    static final String DEFAULT_API_URL = "https://events.pagerduty.com";

    private static final Set<String> SEVERITIES = Set.of("critical", "error", "warning", "info");

    /** Called by {@link java.util.ServiceLoader}. */
    public PagerDutyIntegration() {
    }

    @Override
    public String key() {
        return KEY;
    }

    @Override
    public Outcome deliver(Event event, Settings settings, IntegrationContext context) {
        if (!PagerDutyEvents.handles(event.type())) {
            return Outcome.skipped("PagerDuty has no alert for " + event.type());
        }
        String routingKey = settings.required(ROUTING_KEY).strip();
        String severity = severity(settings);
        if (event.type().equals(Event.RUN_COMPLETION) && !PagerDutyEvents.isFailure(event)) {
            return Outcome.skipped("PagerDuty is alerted about failed runs only; this run did not fail");
        }
        URI enqueue = URI.create(context.apiUrl(DEFAULT_API_URL) + "/v2/enqueue");
        Instant now = context.clock().instant();
        if (event.type().equals(Event.INTEGRATION_TEST)) {
            // Resolved at once so that checking a configuration leaves no open alert behind.
            JsonObject trigger = PagerDutyEvents.integrationTest(event, routingKey, now);
            send(context, enqueue, trigger);
            send(context, enqueue, PagerDutyEvents.resolve(routingKey, trigger.getString("dedup_key")));
        } else {
            send(context, enqueue, PagerDutyEvents.trigger(event, routingKey, severity, now));
        }
        return Outcome.delivered();
    }

    private static void send(IntegrationContext context, URI enqueue, JsonObject body) {
        PagerDutyReplies.check(context.http().send(OutboundRequest.post(enqueue, body.toString())));
    }

    // Checked before anything is sent, so a typo does not silently page at the wrong urgency.
    private static String severity(Settings settings) {
        String severity = settings.optional(SEVERITY).map(value -> value.strip().toLowerCase(Locale.ROOT))
                .orElse(DEFAULT_SEVERITY);
        if (!SEVERITIES.contains(severity)) {
            throw new IntegrationException(ErrorType.USER_CONFIGURATION_ERROR,
                    "setting \"severity\" must be one of critical, error, warning or info");
        }
        return severity;
    }
}
