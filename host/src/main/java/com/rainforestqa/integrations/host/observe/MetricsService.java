package com.rainforestqa.integrations.host.observe;

import static java.util.Objects.requireNonNull;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * {@code GET /observe/metrics}: the {@link HostMetrics} and the process's figures, in OpenMetrics when the
 * {@code Accept} header asks for it and in the Prometheus text format otherwise.
 *
 * <p>Served by the host rather than by Helidon's metrics observer: the observer adds a filter that counts every
 * request whatever the configuration, and its meter registry (Micrometer, found through Helidon's service registry)
 * lengthens the start.
 */
public final class MetricsService implements HttpService {
    private final HostMetrics metrics;

    /** @param metrics the meters to show */
    public MetricsService(HostMetrics metrics) {
        this.metrics = requireNonNull(metrics, "metrics is null");
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::scrape);
    }

    private void scrape(ServerRequest request, ServerResponse response) throws IOException {
        String accept = request.headers().contains(HeaderNames.ACCEPT)
                ? request.headers().get(HeaderNames.ACCEPT).values()
                : null;
        // Whole before the status is sent, so that a failing meter answers 500 rather than a cut-off scrape.
        ByteArrayOutputStream body = new ByteArrayOutputStream(16384);
        String contentType = metrics.write(accept, body);
        response.status(Status.OK_200);
        response.header(HeaderNames.CONTENT_TYPE, contentType);
        response.header(HeaderNames.CACHE_CONTROL, "no-store");
        response.header(HeaderNames.VARY, "Accept");
        response.send(body.toByteArray());
    }
}
