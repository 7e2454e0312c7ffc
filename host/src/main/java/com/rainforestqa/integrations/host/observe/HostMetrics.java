package com.rainforestqa.integrations.host.observe;

import static java.util.Objects.requireNonNull;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;
import io.helidon.service.registry.Services;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The host's meters, which {@code GET /observe/metrics} shows in Prometheus text. Names and tags are part of what
 * operators build dashboards on, so they change only with care.
 *
 * <p>Every meter of one name carries the same tag keys (Prometheus wants that): a delivery that did not fail has
 * {@code error_type="none"}. Thread-safe.
 */
public final class HostMetrics {
    /** Deliveries by {@code integration}, {@code event_type}, {@code outcome} and {@code error_type}. */
    public static final String DELIVERIES = "integrations.deliveries";
    /** Time one integration took to deliver one event, by {@code integration}. */
    public static final String DELIVERY_DURATION = "integrations.delivery.duration";
    /** Attempts made again after a transient failure, by {@code integration}. */
    public static final String RETRIES = "integrations.delivery.retries";
    /** Requests plugins sent to targets, by {@code integration} and {@code status_class} (2xx ... 5xx, error). */
    public static final String OUTBOUND = "integrations.outbound.requests";
    /** {@code POST /events} requests by the {@code status} the host answered. */
    public static final String EVENTS_RECEIVED = "integrations.events.received";

    private final MeterRegistry registry;
    /**
     * Meters already looked up, by name and tag values: the registry builds and matches a meter's identity on every
     * lookup, which the benchmark's profile showed on each event. The tag values come from the plugin registry, the
     * event catalogue and status codes, so there are few of them.
     */
    private final Map<List<String>, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> deliveryTimers = new ConcurrentHashMap<>();

    /**
     * Meters in the given registry.
     *
     * @param registry where the meters live
     */
    public HostMetrics(MeterRegistry registry) {
        this.registry = requireNonNull(registry, "registry is null");
    }

    /**
     * Meters in Helidon's global registry, the one its metrics endpoint and its own meters use. Micrometer keeps
     * meters per process anyway, so hosts in one JVM (tests) share them: compare counts before and after.
     *
     * @return the host's meters
     */
    public static HostMetrics create() {
        return new HostMetrics(Services.get(MeterRegistry.class));
    }

    /** @return the registry, for the metrics endpoint */
    public MeterRegistry registry() {
        return registry;
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
        counter(DELIVERIES, "Deliveries by integration, event type, outcome and error type",
                Tag.create("integration", integration), Tag.create("event_type", eventType),
                Tag.create("outcome", outcome), Tag.create("error_type", errorType.orElse("none"))).increment();
    }

    /**
     * Records how long one integration took for an event, retries included.
     *
     * @param integration the integration's key
     * @param took the time
     */
    public void deliveryTime(String integration, Duration took) {
        deliveryTimers.computeIfAbsent(integration, ignored -> registry.getOrCreate(Timer.builder(DELIVERY_DURATION)
                .description("Time one integration took to deliver one event, retries included")
                .tags(List.of(Tag.create("integration", integration))))).record(took);
    }

    /**
     * Counts an attempt made again.
     *
     * @param integration the integration's key
     */
    public void retry(String integration) {
        counter(RETRIES, "Delivery attempts made again after a transient failure",
                Tag.create("integration", integration)).increment();
    }

    /**
     * Counts a request a plugin sent.
     *
     * @param integration the integration's key
     * @param status the target's status code, or empty when no answer came (refused, unreachable, too slow)
     */
    public void outbound(String integration, Optional<Integer> status) {
        String statusClass = status.map(code -> code / 100 + "xx").orElse("error");
        counter(OUTBOUND, "Requests sent to targets by integration and status class",
                Tag.create("integration", integration), Tag.create("status_class", statusClass)).increment();
    }

    /**
     * Counts an answered {@code POST /events}.
     *
     * @param status the status code of the answer
     */
    public void eventReceived(int status) {
        counter(EVENTS_RECEIVED, "Events received by response status", Tag.create("status", Integer.toString(status)))
                .increment();
    }

    private Counter counter(String name, String description, Tag... tags) {
        List<String> key = new ArrayList<>(tags.length + 1);
        key.add(name);
        for (Tag tag : tags) {
            key.add(tag.value());
        }
        return counters.computeIfAbsent(key, ignored ->
                registry.getOrCreate(Counter.builder(name).description(description).tags(List.of(tags))));
    }
}
