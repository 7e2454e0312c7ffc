package com.rainforestqa.integrations.host.observe;

import static java.util.Objects.requireNonNull;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.nio.charset.StandardCharsets;

/**
 * {@code GET /observe/metrics}: the {@link HostMetrics} and the process's figures in Prometheus text.
 *
 * <p>Served by the host rather than by Helidon's metrics observer, which adds a filter that counts every request
 * whatever the configuration, and whose meter registry (Micrometer, found through Helidon's service registry)
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

    private void scrape(ServerRequest request, ServerResponse response) {
        response.status(Status.OK_200);
        response.header(HeaderNames.CONTENT_TYPE, PrometheusText.CONTENT_TYPE);
        response.header(HeaderNames.CACHE_CONTROL, "no-store");
        response.send(metrics.prometheusText().getBytes(StandardCharsets.UTF_8));
    }
}
