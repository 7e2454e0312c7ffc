package com.rainforestqa.integrations.host.http;

import com.rainforestqa.integrations.host.delivery.DeliveryResult;
import com.rainforestqa.integrations.host.delivery.Dispatcher;
import com.rainforestqa.integrations.host.delivery.EventCatalog;
import com.rainforestqa.integrations.host.delivery.EventRequest;
import com.rainforestqa.integrations.host.delivery.RequestParser;
import com.rainforestqa.integrations.host.io.BoundedReads;
import com.rainforestqa.integrations.host.plugin.PluginDirectory;
import com.rainforestqa.integrations.host.store.StoreException;

import io.helidon.common.buffers.DataReader;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.HttpMediaType;
import io.helidon.http.Status;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.spi.JsonProvider;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /events}, the event catalogue, and {@code POST /events}, which checks the body's size, type and
 * signature, validates the whole request, and delivers it: 201 when every integration is done, 202 with
 * {@code Location} when some are queued for later attempts, 400 when any failed for good.
 */
public final class EventsService implements HttpService {
    /** Looked up once: each {@code Json.create...} call would look the provider up again. */
    private static final JsonProvider JSON = JsonProvider.provider();

    private static final HeaderName IDEMPOTENCY_KEY = HeaderNames.create("Idempotency-Key");

    private final EventCatalog catalog;
    private final PluginDirectory plugins;
    private final Dispatcher dispatcher;
    private final Optional<SignatureVerifier> signatures;
    private final long maxBodySize;
    private final Runnable bodyReceived;
    private final int maxIntegrations;

    /**
     * The events endpoints.
     *
     * @param catalog the known events
     * @param plugins the plugins requests are validated against and delivered to
     * @param dispatcher delivers them
     * @param signatures checks {@code X-Signature}; empty accepts unsigned events
     * @param maxBodySize the largest body accepted, in bytes
     * @param maxIntegrations how many integrations one event may name
     * @param bodyReceived told when a body is read in full: the server's read deadlines end there
     */
    public EventsService(EventCatalog catalog, PluginDirectory plugins, Dispatcher dispatcher,
                         Optional<SignatureVerifier> signatures, long maxBodySize, int maxIntegrations,
                         Runnable bodyReceived) {
        this.catalog = catalog;
        this.plugins = plugins;
        this.dispatcher = dispatcher;
        this.signatures = signatures;
        this.maxBodySize = maxBodySize;
        this.bodyReceived = bodyReceived;
        this.maxIntegrations = maxIntegrations;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::catalogue)
                .post("/", this::post)
                .any("/", MethodNotAllowed.allowing("GET, POST"));
    }

    private void catalogue(ServerRequest request, ServerResponse response) {
        JsonResponses.send(response, Status.OK_200, catalog.json());
    }

    private void post(ServerRequest request, ServerResponse response) {
        boolean json = request.headers().contentType()
                .map(HttpMediaType::mediaType)
                // Media types are case-insensitive (RFC 9110, 8.3.1).
                .filter(type -> type.type().equalsIgnoreCase("application") && type.subtype().equalsIgnoreCase("json"))
                .isPresent();
        if (!json) {
            throw new ApiError(Status.UNSUPPORTED_MEDIA_TYPE_415, RequestParser.INVALID_REQUEST,
                    "the body must be JSON, sent with Content-Type: application/json");
        }
        if (!utf8(request.headers().contentType().orElseThrow())) {
            throw new ApiError(Status.UNSUPPORTED_MEDIA_TYPE_415, RequestParser.INVALID_REQUEST,
                    "the body must be JSON in UTF-8: send Content-Type: application/json without a charset, or with "
                            + "charset=utf-8");
        }
        byte[] body = readBody(request, response);
        signatures.ifPresent(verifier -> verifier.check(body, request.headers()));
        List<DeliveryResult> results;
        String eventId;
        // The lease keeps the plugins this request was validated against open until its deliveries are done, even
        // when a newer version of one of them takes over meanwhile.
        try (PluginDirectory.Lease lease = plugins.lease()) {
            EventRequest event = new RequestParser(catalog, lease.registry(), maxIntegrations)
                    .parse(body, request.headers().first(IDEMPOTENCY_KEY));
            eventId = event.eventId();
            try {
                results = dispatcher.deliver(event);
            } catch (StoreException e) {
                throw new UnrecordedEvent(eventId, e);
            }
        }
        JsonArrayBuilder resultsJson = JSON.createArrayBuilder();
        results.forEach(result -> resultsJson.add(result.toJson()));
        Optional<DeliveryResult> failure = results.stream().filter(DeliveryResult::isFailure).findFirst();
        if (failure.isEmpty()) {
            if (results.stream().anyMatch(result -> result.status() == DeliveryResult.Status.QUEUED)) {
                response.header(HeaderNames.LOCATION, "/deliveries/" + URLEncoder.encode(eventId,
                        StandardCharsets.UTF_8).replace("+", "%20"));
                JsonResponses.send(response, Status.ACCEPTED_202, JSON.createObjectBuilder().add("status", "accepted")
                        .add("event_id", eventId).add("results", resultsJson).build());
                return;
            }
            JsonResponses.send(response, Status.CREATED_201, JSON.createObjectBuilder().add("status", "ok")
                    .add("event_id", eventId).add("results", resultsJson).build());
            return;
        }
        DeliveryResult first = failure.get();
        JsonObjectBuilder error = JSON.createObjectBuilder()
                .add("error", first.key() + ": " + first.message().orElse("delivery failed"))
                .add("type", first.type().orElseThrow());
        first.responseCode().ifPresent(code -> error.add("failed_response_code", code));
        first.responseBody().ifPresent(text -> error.add("failed_response_body", text));
        JsonResponses.send(response, Status.BAD_REQUEST_400, error.add("event_id", eventId)
                .add("results", resultsJson).build());
    }

    /**
     * Whether the content type's charset, if it names one, is UTF-8: the body is read as UTF-8 (as RFC 8259 requires
     * of JSON), so a body the caller encoded otherwise would be read wrong or refused for the wrong reason.
     */
    private static boolean utf8(HttpMediaType type) {
        return type.parameters().entrySet().stream()
                .filter(parameter -> parameter.getKey().equalsIgnoreCase("charset"))
                .map(parameter -> parameter.getValue().strip())
                .map(value -> value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                        ? value.substring(1, value.length() - 1) : value)
                .allMatch(value -> value.equalsIgnoreCase("utf-8"));
    }

    private byte[] readBody(ServerRequest request, ServerResponse response) {
        if (request.headers().contentLength().orElse(0) > maxBodySize) {
            throw tooLarge();
        }
        byte[] body;
        try (InputStream in = request.content().inputStream()) {
            // Read one byte past the limit, never more: a body without Content-Length is bounded too.
            body = BoundedReads.readAtMost(in, Math.toIntExact(Math.min(maxBodySize + 1, Integer.MAX_VALUE - 8)),
                    request.headers().contentLength().orElse(-1));
        } catch (CloseConnectionException e) {
            throw e;
        } catch (IOException | UncheckedIOException | DataReader.InsufficientDataAvailableException e) {
            // The client is gone, or the stall guard ended it: there is no one to answer.
            throw new CloseConnectionException("the client stopped sending the body", e);
        } catch (RuntimeException e) {
            // A malformed chunk size or extension. Where the next request would start is unknown, so the connection
            // ends with the answer.
            response.header(HeaderValues.CONNECTION_CLOSE);
            throw new ApiError(Status.BAD_REQUEST_400, RequestParser.INVALID_REQUEST,
                    "the body is not valid HTTP/1.1 chunked encoding");
        }
        if (body.length > maxBodySize) {
            throw tooLarge();
        }
        bodyReceived.run();
        return body;
    }

    private ApiError tooLarge() {
        return new ApiError(Status.REQUEST_ENTITY_TOO_LARGE_413, RequestParser.INVALID_REQUEST,
                "the body is larger than " + maxBodySize + " bytes");
    }
}
