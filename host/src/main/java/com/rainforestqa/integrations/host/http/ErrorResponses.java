package com.rainforestqa.integrations.host.http;

import com.rainforestqa.integrations.host.delivery.DeliveryResult;
import com.rainforestqa.integrations.host.delivery.RejectedRequest;
import com.rainforestqa.integrations.host.observe.ErrorReporter;
import com.rainforestqa.integrations.host.observe.LogThrottle;
import com.rainforestqa.integrations.host.store.StoreException;

import io.helidon.common.Weighted;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpException;
import io.helidon.http.NotFoundException;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpFeature;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.spi.JsonProvider;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/** The one place where exceptions become HTTP answers. Every answer is JSON; nothing a client sends gives a 500. */
public final class ErrorResponses {
    /** Looked up once: each {@code Json.create...} call would look the provider up again. */
    private static final JsonProvider JSON = JsonProvider.provider();

    private static final System.Logger LOG = System.getLogger(ErrorResponses.class.getName());
    /** A store that is down fails every event alike: one line every ten seconds says so, with a count. */
    private static final LogThrottle STORE_FAILURES = new LogThrottle(Duration.ofSeconds(10), Clock.systemUTC());

    private ErrorResponses() {
    }

    /**
     * Registers the error handlers and a JSON 404 for unknown paths.
     *
     * @param routing the routing, after all services are registered
     * @param reporter hears of unexpected exceptions
     */
    public static void register(HttpRouting.Builder routing, ErrorReporter reporter) {
        routing.error(ApiError.class, ErrorResponses::apiError)
                .error(RejectedRequest.class, ErrorResponses::rejected)
                .error(StoreException.class, (request, response, error) -> storeUnavailable(request, response, error,
                        null))
                .error(UnrecordedEvent.class, (request, response, error) -> storeUnavailable(request, response,
                        error.getCause(), error.eventId()))
                // What a server feature's routes did not find, such as an unknown path under /observe.
                .error(NotFoundException.class, (request, response, error) -> apiError(request, response,
                        new ApiError(Status.NOT_FOUND_404, "not_found", "no such endpoint")))
                // What the web server found malformed once routing began: a Content-Type or header a handler parsed.
                .error(HttpException.class, (request, response, error) -> httpError(request, response, error,
                        reporter))
                .error(Exception.class, (request, response, error) -> unexpected(request, response, error, reporter))
                .addFeature(new UnknownEndpoints());
    }

    /**
     * The JSON 404 for unknown paths, as a feature of the lowest weight: its catch-all then comes after the routes of
     * every other feature (OpenAPI, observability), not only after the host's own routes.
     */
    private static final class UnknownEndpoints implements HttpFeature, Weighted {
        @Override
        public void setup(HttpRouting.Builder routing) {
            routing.any((request, response) -> {
                throw new ApiError(Status.NOT_FOUND_404, "not_found", "no such endpoint");
            });
        }

        @Override
        public double weight() {
            return 1;
        }
    }

    private static void apiError(ServerRequest request, ServerResponse response, ApiError error) {
        send(response, error);
    }

    /**
     * Answers an {@link ApiError} as its error handler does, for a filter that answers a refusal itself.
     *
     * @param response the response to send
     * @param error the refusal
     */
    static void send(ServerResponse response, ApiError error) {
        JsonObjectBuilder body = JSON.createObjectBuilder();
        if (error.status() == Status.UNAUTHORIZED_401) {
            body.add("status", "unauthorized");
        }
        body.add("error", error.getMessage()).add("type", error.type());
        JsonResponses.send(response, error.status(), body.build());
    }

    private static void httpError(ServerRequest request, ServerResponse response, HttpException error,
                                  ErrorReporter reporter) {
        if (error.status().code() >= 500) {
            unexpected(request, response, error, reporter);
            return;
        }
        LOG.log(System.Logger.Level.DEBUG, "{0} {1} answered {2}: {3}", request.prologue().method().text(),
                request.path().path(), error.status().code(), error.getMessage());
        apiError(request, response, new ApiError(error.status(), "invalid_request",
                "the request is malformed: " + error.status().reasonPhrase()));
    }

    private static void rejected(ServerRequest request, ServerResponse response, RejectedRequest rejected) {
        JsonArrayBuilder results = JSON.createArrayBuilder();
        rejected.results().stream().map(DeliveryResult::toJson).forEach(results::add);
        JsonResponses.send(response, Status.BAD_REQUEST_400, JSON.createObjectBuilder()
                .add("error", rejected.getMessage())
                .add("type", rejected.type())
                .add("results", results)
                .build());
    }

    /**
     * The store could not record an event (a full disk, a lost database): nothing of it was kept, so the caller is
     * asked to send it again.
     */
    private static void storeUnavailable(ServerRequest request, ServerResponse response, Throwable error,
                                         String eventId) {
        STORE_FAILURES.admit().ifPresent(held -> LOG.log(System.Logger.Level.ERROR, "The store failed on {0} {1}: "
                + "{2}{3}", request.prologue().method().text(), request.path().path(), error.getMessage(),
                held == 0 ? "" : " (and " + held + " more failures since the last such line)"));
        response.header(HeaderNames.RETRY_AFTER, "10");
        JsonObjectBuilder body = JSON.createObjectBuilder()
                .add("error", "the delivery store is unavailable; send the event again later")
                .add("type", "store_unavailable");
        if (eventId != null) {
            body.add("event_id", eventId);
        }
        JsonResponses.send(response, Status.SERVICE_UNAVAILABLE_503, body.build());
    }

    private static void unexpected(ServerRequest request, ServerResponse response, Exception error,
                                   ErrorReporter reporter) {
        // Only the type: a message may carry request data, settings included.
        LOG.log(System.Logger.Level.ERROR, "Unexpected {0} on {1} {2}", error.getClass().getName(),
                request.prologue().method().text(), request.path().path());
        // The report keeps the stack trace operators need; its scrubber removes credentials from the message.
        reporter.unexpected(error, Map.of("http.method", request.prologue().method().text(),
                "http.path", request.path().path()));
        JsonResponses.send(response, Status.INTERNAL_SERVER_ERROR_500, JSON.createObjectBuilder()
                .add("error", "internal error")
                .add("type", "internal_error")
                .build());
    }
}
