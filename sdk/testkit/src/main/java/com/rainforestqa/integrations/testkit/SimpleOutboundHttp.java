package com.rainforestqa.integrations.testkit;

import static java.util.Objects.requireNonNull;

import com.rainforestqa.integrations.api.ErrorType;
import com.rainforestqa.integrations.api.IntegrationException;
import com.rainforestqa.integrations.api.OutboundHttp;
import com.rainforestqa.integrations.api.OutboundRequest;
import com.rainforestqa.integrations.api.OutboundResponse;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A plain {@link OutboundHttp} on the JDK's {@link HttpClient}, for plugin unit tests.
 *
 * <p>A stand-in only: the host's implementation also enforces the event's deadline, the outbound address rules and
 * redaction, and none of that happens here. It sends the request as given (HTTP/1.1, redirects not followed) and maps
 * failures the way the SPI documents: an unreachable or silent target is {@link ErrorType#TRANSIENT}, with a message
 * naming only the scheme, host and port. Restricted headers such as {@code Host} or {@code Content-Length} are
 * rejected by the JDK with an {@link IllegalArgumentException}.
 *
 * <p>Thread-safe. Close it to release the client's threads.
 */
public final class SimpleOutboundHttp implements OutboundHttp, AutoCloseable {
    /** Long enough for a loaded CI machine, short enough that a test against a silent target fails quickly. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient client;
    private final Duration timeout;

    /** A client with {@link #DEFAULT_TIMEOUT} for connecting and for each answer. */
    public SimpleOutboundHttp() {
        this(DEFAULT_TIMEOUT);
    }

    /**
     * A client with the given time-out for connecting and for each answer.
     *
     * @param timeout the time-out
     * @throws IllegalArgumentException if the time-out is not positive
     */
    public SimpleOutboundHttp(Duration timeout) {
        requireNonNull(timeout, "timeout is null");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        this.timeout = timeout;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(timeout)
                .build();
    }

    @Override
    public OutboundResponse send(OutboundRequest request) {
        requireNonNull(request, "request is null");
        byte[] body = request.body();
        HttpRequest.Builder builder = HttpRequest.newBuilder(request.uri())
                .timeout(timeout)
                .method(request.method(), body.length == 0
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        request.headers().forEach(builder::header);
        try {
            HttpResponse<byte[]> response = client.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new OutboundResponse(response.statusCode(), response.headers().map(),
                    new String(response.body(), StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new IntegrationException(ErrorType.TRANSIENT, origin(request.uri()) + " did not answer in time");
        } catch (IOException e) {
            throw new IntegrationException(ErrorType.TRANSIENT, "could not reach " + origin(request.uri()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IntegrationException(ErrorType.TRANSIENT,
                    "interrupted while waiting for " + origin(request.uri()));
        }
    }

    /** Waits for requests in flight, then releases the client's threads. */
    @Override
    public void close() {
        client.close();
    }

    // The path and query may hold credentials (a Slack webhook URL is one), so messages name only the origin.
    private static String origin(URI uri) {
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
    }
}
