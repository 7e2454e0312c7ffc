package com.rainforestqa.integrations.host.http;

import com.rainforestqa.integrations.host.delivery.Attempt;
import com.rainforestqa.integrations.host.delivery.DeliveryLog;

import java.time.Instant;
import java.util.List;

/**
 * The delivery API's answers, bound to JSON by JSON-B with snake_case names; absent values (null) are left out.
 */
public final class DeliveryJson {
    private DeliveryJson() {
    }

    /**
     * {@code GET /deliveries/{event_id}}.
     *
     * @param eventId the event's id
     * @param eventType its type
     * @param receivedAt when it arrived
     * @param deliveries one entry per integration
     */
    public record Event(String eventId, String eventType, Instant receivedAt, List<Delivery> deliveries) {
        static Event of(DeliveryLog.EventView view) {
            return new Event(view.eventId(), view.eventType(), view.receivedAt(),
                    view.deliveries().stream().map(Delivery::of).toList());
        }
    }

    /**
     * One integration of an event.
     *
     * @param key the integration's key
     * @param status its state
     * @param attempts every attempt, oldest first
     * @param nextAttemptAt when a queued one is tried next
     */
    public record Delivery(String key, String status, List<AttemptJson> attempts, Instant nextAttemptAt) {
        static Delivery of(DeliveryLog.View view) {
            return new Delivery(view.integration(), view.state().json(),
                    view.attempts().stream().map(AttemptJson::of).toList(), view.nextAttemptAt().orElse(null));
        }
    }

    /**
     * One attempt.
     *
     * @param at when it started
     * @param durationMs how long it took
     * @param responseCode the target's status, if it answered
     * @param errorType the error type, if it failed
     * @param error what went wrong, secrets removed
     */
    public record AttemptJson(Instant at, long durationMs, Integer responseCode, String errorType, String error) {
        static AttemptJson of(Attempt attempt) {
            return new AttemptJson(attempt.at(), attempt.took().toMillis(),
                    attempt.responseCode().isPresent() ? attempt.responseCode().getAsInt() : null,
                    attempt.errorType().orElse(null), attempt.error().orElse(null));
        }
    }

    /**
     * {@code GET /deliveries}.
     *
     * @param deliveries the page, most recently changed first
     * @param nextBefore the {@code before} of the next page, when there may be one
     */
    public record Page(List<Summary> deliveries, Instant nextBefore) {
    }

    /**
     * One delivery of a page.
     *
     * @param eventId the event's id
     * @param eventType its type
     * @param key the integration's key
     * @param status its state
     * @param attempts how many attempts were made
     * @param updatedAt when it last changed
     * @param nextAttemptAt when a queued one is tried next
     */
    public record Summary(String eventId, String eventType, String key, String status, int attempts, Instant updatedAt,
                   Instant nextAttemptAt) {
        static Summary of(DeliveryLog.View view) {
            return new Summary(view.eventId(), view.eventType(), view.integration(), view.state().json(),
                    view.attemptCount(), view.updatedAt(), view.nextAttemptAt().orElse(null));
        }
    }
}
