package com.rainforestqa.integrations.plugin.webhook;

import com.rainforestqa.integrations.api.Event;

import jakarta.json.spi.JsonProvider;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The JSON envelope the receiver gets, and the id that names it. The layout is documented in
 * {@link com.rainforestqa.integrations.plugin.webhook the package}; receivers depend on it, so change it only by
 * adding members.
 */
final class WebhookEnvelope {
    /** Looked up once: each {@code Json.create...} call would look the provider up again. */
    private static final JsonProvider JSON = JsonProvider.provider();

    static final String DERIVED_ID_PREFIX = "evt_";

    /**
     * Ids go into a header and into the signed {@code id.timestamp.body}, where a {@code .} would be ambiguous, so only
     * plain tokens are used as they are.
     */
    private static final Pattern PLAIN_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    private WebhookEnvelope() {
    }

    /**
     * The {@code webhook-id} of an event: the same for every attempt, so receivers can drop duplicates.
     *
     * @param event the event
     * @return Rainforest's event id when it is a plain token, else {@code evt_} and a hex SHA-256 of the event id,
     *         or of the type and payload when there is no event id
     */
    static String id(Event event) {
        return event.eventId()
                .map(eventId -> PLAIN_ID.matcher(eventId).matches() ? eventId : derived("event_id\n" + eventId))
                // The host hands every attempt the same parsed payload, so its text, and the hash, stay the same.
                .orElseGet(() -> derived(event.type() + "\n" + event.payload()));
    }

    /**
     * The body of one attempt.
     *
     * @param event the event
     * @param id the event's {@link #id}
     * @param sentAt when this attempt is sent, in whole seconds
     * @return the envelope as compact JSON text
     */
    static String body(Event event, String id, Instant sentAt) {
        return JSON.createObjectBuilder()
                .add("type", event.type())
                .add("id", id)
                .add("timestamp", sentAt.toString())
                .add("data", event.payload())
                .build()
                .toString();
    }

    private static String derived(String content) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8));
            return DERIVED_ID_PREFIX + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
