package com.rainforestqa.integrations.plugin.webhook;

import com.rainforestqa.integrations.api.Event;
import com.rainforestqa.integrations.api.Integration;
import com.rainforestqa.integrations.api.IntegrationContext;
import com.rainforestqa.integrations.api.OutboundRequest;
import com.rainforestqa.integrations.api.Outcome;
import com.rainforestqa.integrations.api.Settings;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Posts every event, as a JSON envelope, to any URL: setting {@code url} (a secret, since such URLs often carry a
 * token) and optional {@code secret}, a Standard Webhooks {@code whsec_} secret to sign with. Without a secret the
 * request carries {@code webhook-id} and {@code webhook-timestamp} but no signature. Stateless, so one instance
 * serves every thread.
 */
public final class WebhookIntegration implements Integration {
    static final String KEY = "webhook";
    static final String URL = "url";
    static final String SECRET = "secret";

    /** Called by {@link java.util.ServiceLoader}. */
    public WebhookIntegration() {
    }

    @Override
    public String key() {
        return KEY;
    }

    @Override
    public Outcome deliver(Event event, Settings settings, IntegrationContext context) {
        URI endpoint = settings.requiredUrl(URL, "a URL such as https://example.com/rainforest-events");
        Optional<SigningSecret> secret = settings.optional(SECRET).map(SigningSecret::parse);

        String id = WebhookEnvelope.id(event);
        // One instant for the header and the envelope; each attempt gets its own, as receivers check freshness.
        Instant sentAt = context.clock().instant().truncatedTo(ChronoUnit.SECONDS);
        long timestamp = sentAt.getEpochSecond();
        // The signature covers exactly these bytes, so they are sent as they are, never re-serialised.
        byte[] body = WebhookEnvelope.body(event, id, sentAt).getBytes(StandardCharsets.UTF_8);

        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("webhook-id", id);
        headers.put("webhook-timestamp", Long.toString(timestamp));
        secret.ifPresent(key -> headers.put("webhook-signature", key.sign(id, timestamp, body)));

        WebhookReplies.check(context.http().send(new OutboundRequest("POST", endpoint, headers, body)));
        return Outcome.delivered();
    }
}
