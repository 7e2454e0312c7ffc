package com.rainforestqa.integrations.host.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/**
 * The meters' Prometheus text: series, labels, histogram buckets, the ageing of the longest delivery time and the
 * backlog of queued deliveries.
 */
class HostMetricsTest {
    /** A label: a name, then a quoted value in which backslash, double quote and line feed are escaped. */
    private static final String LABEL = "[a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\\\n]|\\\\[\\\\\"n])*\"";
    /** A sample line: name, optional labels, a number. */
    private static final Pattern SAMPLE = Pattern.compile(
            "[a-zA-Z_:][a-zA-Z0-9_:]*(\\{" + LABEL + "(," + LABEL + ")*})? (-?[0-9.]+(E-?[0-9]+)?|[+-]Inf|NaN)");

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final HostMetrics metrics = new HostMetrics(now::get);

    @Test
    void countersAreSeriesByLabelValuesWithTheirHelpAndType() {
        metrics.delivery("slack", "run_completion", "delivered", Optional.empty());
        metrics.delivery("slack", "run_completion", "delivered", Optional.empty());
        metrics.delivery("jira", "run_error", "failed", Optional.of("user_configuration_error"));
        metrics.outbound("slack", Optional.of(503));
        metrics.outbound("slack", Optional.empty());
        metrics.retry("slack");
        metrics.eventReceived(201);

        assertThat(metrics.prometheusText()).contains("""
                # HELP integrations_deliveries_total Deliveries by integration, event type, outcome and error type
                # TYPE integrations_deliveries_total counter
                integrations_deliveries_total{integration="jira",event_type="run_error",outcome="failed",\
                error_type="user_configuration_error",scope="application"} 1
                integrations_deliveries_total{integration="slack",event_type="run_completion",outcome="delivered",\
                error_type="none",scope="application"} 2
                """, """
                integrations_outbound_requests_total{integration="slack",status_class="5xx",scope="application"} 1
                integrations_outbound_requests_total{integration="slack",status_class="error",scope="application"} 1
                """, """
                integrations_delivery_retries_total{integration="slack",scope="application"} 1
                """, """
                # TYPE integrations_events_received_total counter
                integrations_events_received_total{status="201",scope="application"} 1
                """);
    }

    @Test
    void nothingCountedYetWritesOnlyTheBacklogGaugesOfTheHostAtZeroAndTheProcessFigures() {
        String text = metrics.prometheusText();

        // Counters and histograms appear with their first count; the backlog gauges are always there, for alerts.
        assertThat(text.lines().filter(line -> line.contains("integrations_"))).containsExactly(
                "# HELP integrations_deliveries_queued Deliveries waiting for another attempt, by integration",
                "# TYPE integrations_deliveries_queued gauge",
                "# HELP integrations_queued_oldest_age_seconds How long the oldest event with a queued delivery has"
                        + " waited; 0 when none is queued",
                "# TYPE integrations_queued_oldest_age_seconds gauge",
                "integrations_queued_oldest_age_seconds{scope=\"application\"} 0");
        assertThat(text).contains("# TYPE process_cpu_seconds_total counter", "jvm_memory_bytes_used{area=\"heap\"} ",
                "jvm_threads_current ", "# TYPE jvm_gc_collection_seconds summary");
        assertEveryLineIsWellFormed(text);
    }

    @Test
    void backlogGaugesShowTheQueuedDeliveriesByIntegrationAndTheOldestAgeAsReadAtTheScrape() {
        AtomicLong reads = new AtomicLong();
        metrics.backlogSource(() -> {
            reads.incrementAndGet();
            return new HostMetrics.Backlog(Map.of("slack", 2L, "jira", 1L), Optional.of(Duration.ofMillis(90_500)));
        });
        metrics.queuedAttempt("slack", "delivered");
        metrics.queuedAttempt("slack", "queued");
        metrics.queuedAttempt("slack", "queued");

        String text = metrics.prometheusText();

        assertThat(reads).hasValue(1);
        assertThat(text).contains("""
                # TYPE integrations_queued_attempts_total counter
                integrations_queued_attempts_total{integration="slack",outcome="delivered",scope="application"} 1
                integrations_queued_attempts_total{integration="slack",outcome="queued",scope="application"} 2
                """, """
                # TYPE integrations_deliveries_queued gauge
                integrations_deliveries_queued{integration="jira",scope="application"} 1
                integrations_deliveries_queued{integration="slack",scope="application"} 2
                """, """
                # TYPE integrations_queued_oldest_age_seconds gauge
                integrations_queued_oldest_age_seconds{scope="application"} 90.5
                """);
        assertEveryLineIsWellFormed(text);
    }

    @Test
    void deliveryTimesFillCumulativeBucketsAndTheSumInSeconds() {
        metrics.deliveryTime("slack", Duration.ofMillis(3));
        metrics.deliveryTime("slack", Duration.ofMillis(40));
        metrics.deliveryTime("slack", Duration.ofMillis(40));
        metrics.deliveryTime("slack", Duration.ofSeconds(90));

        String text = metrics.prometheusText();
        String slack = "{integration=\"slack\",scope=\"application\"";
        String bucket = "integrations_delivery_duration_seconds_bucket" + slack;
        assertThat(text).contains("# TYPE integrations_delivery_duration_seconds histogram\n",
                bucket + ",le=\"0.005\"} 1\n",
                bucket + ",le=\"0.025\"} 1\n",
                bucket + ",le=\"0.05\"} 3\n",
                bucket + ",le=\"60.0\"} 3\n",
                bucket + ",le=\"+Inf\"} 4\n",
                "integrations_delivery_duration_seconds_count" + slack + "} 4\n",
                "integrations_delivery_duration_seconds_sum" + slack + "} 90.083\n",
                "# TYPE integrations_delivery_duration_seconds_max gauge\n",
                "integrations_delivery_duration_seconds_max" + slack + "} 90\n");
        assertEveryLineIsWellFormed(text);
    }

    @Test
    void theLongestDeliveryTimeIsShownForOneToTwoMinutes() {
        metrics.deliveryTime("slack", Duration.ofMillis(700));
        now.addAndGet(Duration.ofSeconds(59).toNanos());
        metrics.deliveryTime("slack", Duration.ofMillis(20));
        assertThat(max()).isEqualTo("0.7");

        now.addAndGet(Duration.ofSeconds(2).toNanos());
        metrics.deliveryTime("slack", Duration.ofMillis(30));
        assertThat(max()).as("the previous minute's longest is still shown").isEqualTo("0.7");

        now.addAndGet(Duration.ofSeconds(60).toNanos());
        assertThat(max()).as("then the last minute's").isEqualTo("0.03");

        now.addAndGet(Duration.ofMinutes(5).toNanos());
        assertThat(max()).as("and nothing after minutes without deliveries").isEqualTo("0");
        assertThat(metrics.prometheusText()).as("the histogram keeps everything").contains(
                "integrations_delivery_duration_seconds_count{integration=\"slack\",scope=\"application\"} 3");
    }

    @Test
    void labelValuesAreEscaped() {
        metrics.delivery("odd\"key\\with\nbreak", "run_completion", "failed", Optional.of("plugin_bug"));

        String text = metrics.prometheusText();
        assertThat(text).contains("integration=\"odd\\\"key\\\\with\\nbreak\"");
        assertEveryLineIsWellFormed(text);
    }

    @Test
    void countsFromManyThreadsAddUp() {
        IntStream.range(0, 10_000).parallel().forEach(i -> {
            metrics.eventReceived(i % 2 == 0 ? 201 : 400);
            metrics.deliveryTime("slack", Duration.ofMillis(i % 100));
        });

        assertThat(metrics.prometheusText()).contains(
                "integrations_events_received_total{status=\"201\",scope=\"application\"} 5000\n",
                "integrations_events_received_total{status=\"400\",scope=\"application\"} 5000\n",
                "integrations_delivery_duration_seconds_count{integration=\"slack\",scope=\"application\"} 10000\n");
    }

    private String max() {
        String prefix = "integrations_delivery_duration_seconds_max{integration=\"slack\",scope=\"application\"} ";
        return metrics.prometheusText().lines().filter(line -> line.startsWith(prefix)).findFirst()
                .orElseThrow().substring(prefix.length());
    }

    private static void assertEveryLineIsWellFormed(String text) {
        List<String> lines = text.lines().toList();
        assertThat(text).endsWith("\n");
        assertThat(lines).allSatisfy(line -> assertThat(line.startsWith("# HELP ") || line.startsWith("# TYPE ")
                || SAMPLE.matcher(line).matches()).as(line).isTrue());
    }
}
