package com.rainforestqa.integrations.host.observe;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.function.LongSupplier;

/**
 * The host's meters, which {@code GET /observe/metrics} shows in Prometheus text next to the process's figures.
 * Names and labels are part of what operators build dashboards on, so they change only with care.
 *
 * <p>Every series of one name carries the same labels (Prometheus wants that): a delivery that did not fail has
 * {@code error_type="none"}. Each also carries {@code scope="application"}, the label Helidon's metrics give an
 * application's meters, so that queries and dashboards written for those match these. Thread-safe.
 */
public final class HostMetrics {
    /** The label every series of the host's own meters carries. */
    private static final String[] SCOPE = {"scope", "application"};

    private final CounterFamily deliveries = new CounterFamily("integrations_deliveries_total",
            "Deliveries by integration, event type, outcome and error type",
            "integration", "event_type", "outcome", "error_type");
    private final DurationFamily deliveryDuration;
    private final CounterFamily retries = new CounterFamily("integrations_delivery_retries_total",
            "Delivery attempts made again after a transient failure", "integration");
    private final CounterFamily outbound = new CounterFamily("integrations_outbound_requests_total",
            "Requests sent to targets by integration and status class", "integration", "status_class");
    private final CounterFamily eventsReceived = new CounterFamily("integrations_events_received_total",
            "Events received by response status", "status");
    private final CounterFamily queuedAttempts = new CounterFamily("integrations_queued_attempts_total",
            "Attempts of queued deliveries by integration and outcome", "integration", "outcome");
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
        this.deliveryDuration = new DurationFamily("integrations_delivery_duration_seconds",
                "Time one integration took to deliver one event, retries included", "integration", nanoTime);
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
        deliveries.increment(integration, eventType, outcome, errorType.orElse("none"));
    }

    /**
     * Records how long one integration took for an event, retries included.
     *
     * @param integration the integration's key
     * @param took the time
     */
    public void deliveryTime(String integration, Duration took) {
        deliveryDuration.record(integration, took);
    }

    /**
     * Counts an attempt made again.
     *
     * @param integration the integration's key
     */
    public void retry(String integration) {
        retries.increment(integration);
    }

    /**
     * Counts a request a plugin sent.
     *
     * @param integration the integration's key
     * @param status the target's status code, or empty when no answer came (refused, unreachable, too slow)
     */
    public void outbound(String integration, Optional<Integer> status) {
        outbound.increment(integration, status.map(code -> code / 100 + "xx").orElse("error"));
    }

    /**
     * Counts an answered {@code POST /events}.
     *
     * @param status the status code of the answer
     */
    public void eventReceived(int status) {
        eventsReceived.increment(Integer.toString(status));
    }

    /**
     * Counts an attempt of a queued delivery.
     *
     * @param integration the integration's key
     * @param outcome the delivery's state after it: {@code delivered}, {@code queued}, {@code failed},
     *        {@code exhausted} or {@code skipped}
     */
    public void queuedAttempt(String integration, String outcome) {
        queuedAttempts.increment(integration, outcome);
    }

    /**
     * Names where the backlog of queued deliveries is read from at each scrape.
     *
     * @param source reads the backlog
     */
    public void backlogSource(Supplier<Backlog> source) {
        this.backlog = source;
    }

    /** @return the host's meters, then the process's, in the Prometheus text format */
    public String prometheusText() {
        PrometheusText out = new PrometheusText();
        deliveries.writeTo(out, SCOPE);
        deliveryDuration.writeTo(out, SCOPE);
        retries.writeTo(out, SCOPE);
        outbound.writeTo(out, SCOPE);
        eventsReceived.writeTo(out, SCOPE);
        queuedAttempts.writeTo(out, SCOPE);
        Backlog now = backlog.get();
        out.family("integrations_deliveries_queued", "gauge", "Deliveries waiting for another attempt, by integration");
        new TreeMap<>(now.queued()).forEach((integration, count) -> out.sample("integrations_deliveries_queued",
                List.of("integration", SCOPE[0]), List.of(integration, SCOPE[1]), count));
        out.family("integrations_queued_oldest_age_seconds", "gauge",
                "How long the oldest event with a queued delivery has waited; 0 when none is queued");
        out.sample("integrations_queued_oldest_age_seconds", List.of(SCOPE[0]), List.of(SCOPE[1]),
                now.oldestAge().map(age -> age.toMillis() / 1000.0).orElse(0.0));
        RuntimeMeters.writeTo(out);
        return out.toString();
    }
}
