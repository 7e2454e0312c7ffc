package com.rainforestqa.integrations.host.http;

import com.rainforestqa.integrations.host.delivery.DeliveryLog;
import com.rainforestqa.integrations.host.delivery.QueuedDeliveries;

import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;
import jakarta.json.bind.config.PropertyNamingStrategy;
import jakarta.json.spi.JsonProvider;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The delivery API, for operators: {@code GET /deliveries/{event_id}} (an event's deliveries and every attempt),
 * {@code GET /deliveries?status=&integration=&limit=&before=} (newest first, paged) and
 * {@code POST /deliveries/{event_id}/{integration}/retry} (queue a failed or exhausted delivery now).
 *
 * <p>Its answers show error texts and which integrations an event went to, and it can send deliveries again, so it
 * needs {@code Authorization: Bearer <integrations.admin.token>} (see {@link AdminToken}) even behind the operator
 * socket's bind address; without a configured token it is off and answers 403.
 */
public final class DeliveriesService implements HttpService {
    private static final JsonProvider JSON = JsonProvider.provider();
    private static final int DEFAULT_LIMIT = 50;
    private static final int MAX_LIMIT = 500;

    private final DeliveryLog log;
    private final QueuedDeliveries queue;
    private final AdminToken token;
    private final Jsonb jsonb = JsonbBuilder.create(new JsonbConfig()
            .withPropertyNamingStrategy(PropertyNamingStrategy.LOWER_CASE_WITH_UNDERSCORES));

    /**
     * The delivery API.
     *
     * @param log the record of deliveries
     * @param queue queues deliveries again
     * @param token the bearer token callers must present; one that is not set turns the API off
     */
    public DeliveriesService(DeliveryLog log, QueuedDeliveries queue, AdminToken token) {
        this.log = log;
        this.queue = queue;
        this.token = token;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.any(this::authorize)
                .get("/", this::list)
                .get("/{eventId}", this::event)
                .post("/{eventId}/{integration}/retry", this::retry);
    }

    private void authorize(ServerRequest request, ServerResponse response) {
        if (!token.isSet()) {
            throw new ApiError(Status.FORBIDDEN_403, "forbidden",
                    "the delivery API is off: set integrations.admin.token (env INTEGRATIONS_ADMIN_TOKEN) to enable it");
        }
        // The operator socket's filter checks the token too; checked here as well, the API stays closed on a routing
        // registered without it.
        token.check(request, response);
        response.next();
    }

    private void event(ServerRequest request, ServerResponse response) {
        String eventId = request.path().pathParameters().get("eventId");
        DeliveryLog.EventView view = log.event(eventId).orElseThrow(() -> new ApiError(Status.NOT_FOUND_404,
                "not_found", "no event with this id is in the store (unknown, or past its retention)"));
        send(response, Status.OK_200, DeliveryJson.Event.of(view));
    }

    private void list(ServerRequest request, ServerResponse response) {
        Optional<DeliveryLog.State> state = request.query().first("status").asOptional()
                .filter(value -> !value.isBlank()).map(DeliveriesService::state);
        Optional<String> integration = request.query().first("integration").asOptional()
                .filter(value -> !value.isBlank());
        int limit = request.query().first("limit").asOptional().map(DeliveriesService::limit).orElse(DEFAULT_LIMIT);
        Optional<Instant> before = request.query().first("before").asOptional().filter(value -> !value.isBlank())
                .map(DeliveriesService::instant);
        List<DeliveryLog.View> page = log.list(state, integration, before, limit);
        Instant next = page.size() == limit ? page.getLast().updatedAt() : null;
        send(response, Status.OK_200, new DeliveryJson.Page(page.stream().map(DeliveryJson.Summary::of).toList(), next));
    }

    private void retry(ServerRequest request, ServerResponse response) {
        String eventId = request.path().pathParameters().get("eventId");
        String integration = request.path().pathParameters().get("integration");
        if (queue.retry(eventId, integration) == 0) {
            boolean known = log.event(eventId).filter(view -> view.deliveries().stream()
                    .anyMatch(delivery -> delivery.integration().equals(integration))).isPresent();
            throw known ? new ApiError(Status.CONFLICT_409, "not_retryable", "the delivery to " + integration
                    + " is not failed or exhausted, or its settings are past their retention")
                    : new ApiError(Status.NOT_FOUND_404, "not_found", "the event has no delivery to " + integration);
        }
        response.status(Status.ACCEPTED_202);
        response.header(HeaderValues.CONTENT_TYPE_JSON);
        response.send(JSON.createObjectBuilder().add("status", "queued").add("event_id", eventId)
                .add("key", integration).build().toString());
    }

    private static DeliveryLog.State state(String value) {
        try {
            return DeliveryLog.State.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ApiError(Status.BAD_REQUEST_400, "invalid_request",
                    "status must be one of delivered, queued, failed, exhausted, skipped");
        }
    }

    private static int limit(String value) {
        try {
            int limit = Integer.parseInt(value.strip());
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ApiError(Status.BAD_REQUEST_400, "invalid_request", "limit must be a number from 1 to " + MAX_LIMIT);
    }

    private static Instant instant(String value) {
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeException e) {
            throw new ApiError(Status.BAD_REQUEST_400, "invalid_request",
                    "before must be an ISO-8601 instant such as 2026-12-03T10:00:00Z (a page's next_before)");
        }
    }

    private void send(ServerResponse response, Status status, Object body) {
        response.status(status);
        response.header(HeaderValues.CONTENT_TYPE_JSON);
        response.send(jsonb.toJson(body).getBytes(StandardCharsets.UTF_8));
    }
}
