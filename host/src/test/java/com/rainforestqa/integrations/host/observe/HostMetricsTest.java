package com.rainforestqa.integrations.host.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/**
 * The meters as scraped: series, labels, histogram buckets, the ageing of the longest delivery time, the backlog of
 * queued deliveries, and the two formats.
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
                integrations_deliveries_total{error_type="none",event_type="run_completion",integration="slack",\
                outcome="delivered",scope="application"} 2.0
                integrations_deliveries_total{error_type="user_configuration_error",event_type="run_error",\
                integration="jira",outcome="failed",scope="application"} 1.0
                """, """
                integrations_outbound_requests_total{integration="slack",scope="application",status_class="5xx"} 1.0
                integrations_outbound_requests_total{integration="slack",scope="application",status_class="error"} 1.0
                """, """
                integrations_delivery_retries_total{integration="slack",scope="application"} 1.0
                """, """
                # TYPE integrations_events_received_total counter
                integrations_events_received_total{scope="application",status="201"} 1.0
                """);
    }

    @Test
    void nothingCountedYetWritesOnlyTheOldestAgeOfTheHostAtZeroAndTheProcessFigures() {
        String text = metrics.prometheusText();

        // Series appear with their first count; the oldest age is always there, for alerts.
        assertThat(text.lines().filter(line -> line.contains("integrations_"))).containsExactly(
                "# HELP integrations_queued_oldest_age_seconds How long the oldest event with a queued delivery has"
                        + " waited; 0 when none is queued",
                "# TYPE integrations_queued_oldest_age_seconds gauge",
                "integrations_queued_oldest_age_seconds{scope=\"application\"} 0.0");
        assertThat(text).contains("# TYPE process_cpu_seconds_total counter", "jvm_memory_used_bytes{area=\"heap\"} ",
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
                integrations_queued_attempts_total{integration="slack",outcome="delivered",scope="application"} 1.0
                integrations_queued_attempts_total{integration="slack",outcome="queued",scope="application"} 2.0
                """, """
                # TYPE integrations_deliveries_queued gauge
                integrations_deliveries_queued{integration="jira",scope="application"} 1.0
                integrations_deliveries_queued{integration="slack",scope="application"} 2.0
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
                "integrations_delivery_duration_seconds_max" + slack + "} 90.0\n");
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
        assertThat(max()).as("and nothing after minutes without deliveries").isEqualTo("0.0");
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
                "integrations_events_received_total{scope=\"application\",status=\"201\"} 5000.0\n",
                "integrations_events_received_total{scope=\"application\",status=\"400\"} 5000.0\n",
                "integrations_delivery_duration_seconds_count{integration=\"slack\",scope=\"application\"} 10000\n");
    }

    @Test
    void openMetricsWhenTheAcceptHeaderAsksForItAndThePrometheusTextOtherwise() throws Exception {
        metrics.delivery("slack", "run_completion", "delivered", Optional.empty());
        metrics.deliveryTime("slack", Duration.ofMillis(40));

        java.io.ByteArrayOutputStream open = new java.io.ByteArrayOutputStream();
        String openType = metrics.write("application/openmetrics-text; version=1.0.0; charset=utf-8,"
                + "text/plain;version=0.0.4;q=0.5,*/*;q=0.1", open);
        java.io.ByteArrayOutputStream plain = new java.io.ByteArrayOutputStream();
        String plainType = metrics.write("text/plain", plain);

        String openText = open.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(openType).startsWith("application/openmetrics-text; version=1.0.0");
        // OpenMetrics names a counter's family without _total, and ends with # EOF.
        assertThat(openText).contains("# TYPE integrations_deliveries counter\n",
                "integrations_deliveries_total{error_type=\"none\",event_type=\"run_completion\","
                        + "integration=\"slack\",outcome=\"delivered\",scope=\"application\"} 1.0\n",
                "# TYPE integrations_delivery_duration_seconds histogram\n",
                "# TYPE integrations_delivery_duration_seconds_max gauge\n").endsWith("# EOF\n");
        assertThat(plainType).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
        assertThat(plain.toString(java.nio.charset.StandardCharsets.UTF_8))
                .contains("# TYPE integrations_deliveries_total counter\n").doesNotContain("# EOF");
        assertEveryLineIsWellFormed(plain.toString(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * The README's metrics table against a scrape in which every meter has a series: the same families, each with
     * the labels the table gives it (and {@code scope}).
     */
    @Test
    void theReadmeTableNamesEveryFamilyWithItsLabels() throws Exception {
        metrics.backlogSource(() -> new HostMetrics.Backlog(Map.of("slack", 1L), Optional.of(Duration.ofSeconds(3))));
        metrics.delivery("slack", "run_completion", "failed", Optional.of("delivery_failed"));
        metrics.deliveryTime("slack", Duration.ofMillis(5));
        metrics.retry("slack");
        metrics.outbound("slack", Optional.of(200));
        metrics.eventReceived(201);
        metrics.queuedAttempt("slack", "delivered");

        Map<String, java.util.Set<String>> served = new java.util.TreeMap<>();
        Pattern sample = Pattern.compile("^(integrations_[a-z_]+)\\{([^}]*)} ");
        metrics.prometheusText().lines().map(sample::matcher).filter(Matcher::find).forEach(line -> {
            String family = line.group(1).replaceAll("_(bucket|count|sum)$", "");
            java.util.Set<String> labels = new java.util.TreeSet<>();
            for (String label : line.group(2).split(",(?=[a-z_]+=)")) {
                labels.add(label.substring(0, label.indexOf('=')));
            }
            labels.remove("le");
            served.merge(family, labels, (left, right) -> left);
        });

        Map<String, java.util.Set<String>> documented = new java.util.TreeMap<>();
        Pattern row = Pattern.compile("^\\| `(integrations_[a-z_]+)`([^|]*)\\|([^|]*)\\|");
        Pattern name = Pattern.compile("`([a-z_]+)`");
        for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("..", "README.md"))) {
            Matcher matcher = row.matcher(line);
            if (!matcher.find()) {
                continue;
            }
            java.util.Set<String> labels = new java.util.TreeSet<>(List.of("scope"));
            // The labels column names each label first, then perhaps its values in parentheses.
            Matcher label = name.matcher(matcher.group(3).replaceAll("\\([^)]*\\)", ""));
            while (label.find()) {
                labels.add(label.group(1));
            }
            documented.put(matcher.group(1), labels);
            // "(histogram: `_bucket`, `_count`, `_sum`; and `_max`)": the _max gauge is a family of its own.
            if (matcher.group(2).contains("`_max`")) {
                documented.put(matcher.group(1) + "_max", labels);
            }
        }

        assertThat(documented).hasSize(9);
        assertThat(served).isEqualTo(documented);
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
