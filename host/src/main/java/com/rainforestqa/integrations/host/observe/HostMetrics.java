package com.rainforestqa.integrations.host.observe;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The host's meters, which {@code GET /observe/metrics} shows next to the process's figures, on the Prometheus Java
 * client. Names and labels are part of what operators build dashboards on, so they change only with care.
 *
 * <p>Every series of one name carries the same labels (Prometheus wants that): a delivery that did not fail has
 * {@code error_type="none"}. Each also carries {@code scope="application"}, the label Helidon's metrics give an
 * application's meters, so that queries and dashboards written for those match these. Thread-safe.
 */
public final class HostMetrics {
    /** The label every series of the host's own meters carries. */
    private static final Labels SCOPE = Labels.of("scope", "application");
    /**
     * Bucket bounds of the delivery time in seconds: from a fast webhook answer to the longest deadline the host
     * allows. Fixed bounds, unlike quantiles, add up across instances.
     */
    private static final double[] BOUNDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
    private static final String DURATION = "integrations_delivery_duration_seconds";
    private static final String QUEUED = "integrations_deliveries_queued";
    private static final String OLDEST_AGE = "integrations_queued_oldest_age_seconds";

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final ExpositionFormats formats = ExpositionFormats.init();
    private final Counter deliveries = Counter.builder().name("integrations_deliveries_total")
            .help("Deliveries by integration, event type, outcome and error type")
            .labelNames("integration", "event_type", "outcome", "error_type")
            .constLabels(SCOPE).withoutExemplars().register(registry);
    private final Histogram deliveryDuration = Histogram.builder().name(DURATION)
            .help("Time one integration took to deliver one event, retries included")
            .labelNames("integration").classicOnly().classicUpperBounds(BOUNDS)
            .constLabels(SCOPE).withoutExemplars().register(registry);
    private final Counter retries = Counter.builder().name("integrations_delivery_retries_total")
            .help("Delivery attempts made again after a transient failure").labelNames("integration")
            .constLabels(SCOPE).withoutExemplars().register(registry);
    private final Counter outbound = Counter.builder().name("integrations_outbound_requests_total")
            .help("Requests sent to targets by integration and status class")
            .labelNames("integration", "status_class")
            .constLabels(SCOPE).withoutExemplars().register(registry);
    private final Counter eventsReceived = Counter.builder().name("integrations_events_received_total")
            .help("Events received by response status").labelNames("status")
            .constLabels(SCOPE).withoutExemplars().register(registry);
    private final Counter queuedAttempts = Counter.builder().name("integrations_queued_attempts_total")
            .help("Attempts of queued deliveries by integration and outcome").labelNames("integration", "outcome")
            .constLabels(SCOPE).withoutExemplars().register(registry);
    /** The longest delivery time of the last minutes by integration, which a histogram does not keep. */
    private final Map<String, RecentMaximum> longest = new ConcurrentHashMap<>();
    private final LongSupplier nanoTime;
    private volatile Supplier<Backlog> backlog = () -> new Backlog(Map.of(), Optional.empty());

    /**
     * The deliveries waiting in the store, read when the meters are scraped.
     *
     * @param queued how many are queued, by integration
     * @param oldestAge how long the oldest event with a queued delivery has waited
     */
    public record Backlog(Map<String, Long> queued, Optional<Duration> oldestAge) {
        /** Copies the counts. */
        public Backlog {
            queued = Map.copyOf(queued);
        }
    }

    /** Meters whose {@code _max} ages by {@link System#nanoTime()}. */
    public HostMetrics() {
        this(System::nanoTime);
    }

    /** @param nanoTime the monotonic clock that ages the longest delivery time */
    HostMetrics(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        GaugeWithCallback.builder().name(DURATION + "_max")
                .help("Time one integration took to deliver one event, retries included, the longest of the last"
                        + " one to two minutes")
                .labelNames("integration").constLabels(SCOPE)
                .callback(gauge -> longest.forEach((integration, max) -> gauge.call(max.seconds(), integration)))
                .register(registry);
        registry.register(new BacklogGauges());
    }

    /**
     * Counts one integration's result for an event.
     *
     * @param integration the integration's key
     * @param eventType the event type
     * @param outcome {@code delivered}, {@code failed}, {@code skipped} or {@code duplicate}
     * @param errorType the error type of a failure
     */
    public void delivery(String integration, String eventType, String outcome, Optional<String> errorType) {
        deliveries.labelValues(integration, eventType, outcome, errorType.orElse("none")).inc();
    }

    /**
     * Records how long one integration took for an event, retries included.
     *
     * @param integration the integration's key
     * @param took the time
     */
    public void deliveryTime(String integration, Duration took) {
        long nanos = Math.max(0, took.toNanos());
        deliveryDuration.labelValues(integration).observe(nanos / 1e9);
        RecentMaximum max = longest.get(integration);
        if (max == null) {
            max = longest.computeIfAbsent(integration, ignored -> new RecentMaximum(nanoTime));
        }
        max.record(nanos);
    }

    /**
     * Counts an attempt made again.
     *
     * @param integration the integration's key
     */
    public void retry(String integration) {
        retries.labelValues(integration).inc();
    }

    /**
     * Counts a request a plugin sent.
     *
     * @param integration the integration's key
     * @param status the target's status code, or empty when no answer came (refused, unreachable, too slow)
     */
    public void outbound(String integration, Optional<Integer> status) {
        outbound.labelValues(integration, status.map(code -> code / 100 + "xx").orElse("error")).inc();
    }

    /**
     * Counts an answered {@code POST /events}.
     *
     * @param status the status code of the answer
     */
    public void eventReceived(int status) {
        eventsReceived.labelValues(Integer.toString(status)).inc();
    }

    /**
     * Counts an attempt of a queued delivery.
     *
     * @param integration the integration's key
     * @param outcome the delivery's state after it: {@code delivered}, {@code queued}, {@code failed},
     *        {@code exhausted} or {@code skipped}
     */
    public void queuedAttempt(String integration, String outcome) {
        queuedAttempts.labelValues(integration, outcome).inc();
    }

    /**
     * Names where the backlog of queued deliveries is read from at each scrape.
     *
     * @param source reads the backlog
     */
    public void backlogSource(Supplier<Backlog> source) {
        this.backlog = source;
    }

    /**
     * Writes the host's meters and the process's, ordered by name, in the format the {@code Accept} header asks
     * for: OpenMetrics when it names {@code application/openmetrics-text}, else the Prometheus text format.
     *
     * @param accept the request's {@code Accept} header, or null
     * @param out where the scrape goes
     * @return the media type of what was written
     * @throws IOException when {@code out} fails
     */
    public String write(String accept, OutputStream out) throws IOException {
        ExpositionFormatWriter writer = formats.findWriter(accept);
        writer.write(out, scrape(), EscapingScheme.fromAcceptHeader(accept));
        return writer.getContentType();
    }

    /** @return the host's meters and the process's, in the Prometheus text format */
    public String prometheusText() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try {
            write(null, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private MetricSnapshots scrape() {
        MetricSnapshots.Builder all = MetricSnapshots.builder();
        registry.scrape().forEach(all::metricSnapshot);
        JvmFigures.registry().scrape().forEach(all::metricSnapshot);
        return all.build();
    }

    /** The two backlog gauges, from one read of the store per scrape. */
    private final class BacklogGauges implements MultiCollector {
        @Override
        public MetricSnapshots collect() {
            Backlog now = backlog.get();
            GaugeSnapshot.Builder queued = GaugeSnapshot.builder().name(QUEUED)
                    .help("Deliveries waiting for another attempt, by integration");
            now.queued().forEach((integration, count) -> queued.dataPoint(GaugeDataPointSnapshot.builder()
                    .labels(SCOPE.add("integration", integration)).value(count).build()));
            MetricSnapshot oldest = GaugeSnapshot.builder().name(OLDEST_AGE)
                    .help("How long the oldest event with a queued delivery has waited; 0 when none is queued")
                    .dataPoint(GaugeDataPointSnapshot.builder().labels(SCOPE)
                            .value(now.oldestAge().map(age -> age.toMillis() / 1000.0).orElse(0.0)).build())
                    .build();
            return MetricSnapshots.of(queued.build(), oldest);
        }
    }
}
