package com.rainforestqa.integrations.host.observe;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Durations of one name, one series per label value: a Prometheus histogram ({@code _bucket}, {@code _count},
 * {@code _sum}, in seconds) and a gauge {@code _max} with the longest duration of the last one to two minutes.
 * Thread-safe.
 */
final class DurationFamily {
    /**
     * Bucket bounds in seconds: from a fast webhook answer to the longest deadline the host allows. Fixed bounds,
     * unlike quantiles, add up across instances.
     */
    private static final double[] BOUNDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
    /** How long a longest duration stays in {@code _max}: one to two of these. */
    private static final long MAX_PERIOD_NANOS = Duration.ofMinutes(1).toNanos();

    private final String name;
    private final String help;
    private final String label;
    private final LongSupplier nanoTime;
    private final Map<List<String>, Series> series = new ConcurrentHashMap<>();

    /**
     * @param name the Prometheus name, ending in {@code _seconds}
     * @param help what it times
     * @param label the one label's name
     * @param nanoTime the monotonic clock that ages {@code _max}
     */
    DurationFamily(String name, String help, String label, LongSupplier nanoTime) {
        this.name = name;
        this.help = help;
        this.label = label;
        this.nanoTime = nanoTime;
    }

    /**
     * Records one duration.
     *
     * @param value the label's value
     * @param took the duration; a negative one counts as zero
     */
    void record(String value, Duration took) {
        List<String> key = List.of(value);
        Series one = series.get(key);
        if (one == null) {
            one = series.computeIfAbsent(key, ignored -> new Series(nanoTime.getAsLong()));
        }
        one.record(Math.max(0, took.toNanos()), nanoTime.getAsLong());
    }

    /** Writes the histogram and the {@code _max} gauge; nothing when nothing was recorded yet. */
    void writeTo(PrometheusText out, String... extra) {
        if (series.isEmpty()) {
            return;
        }
        long now = nanoTime.getAsLong();
        Map<List<String>, Series.Snapshot> snapshots = new TreeMap<>(PrometheusText.BY_VALUES);
        series.forEach((values, one) -> snapshots.put(values, one.snapshot(now)));
        List<String> labels = List.of(label);
        out.family(name, "histogram", help);
        snapshots.forEach((values, snapshot) -> {
            long cumulative = 0;
            for (int i = 0; i < BOUNDS.length; i++) {
                cumulative += snapshot.buckets()[i];
                out.sample(name + "_bucket", labels, values, cumulative, with(extra, "le", Double.toString(BOUNDS[i])));
            }
            out.sample(name + "_bucket", labels, values, snapshot.count(), with(extra, "le", "+Inf"));
            out.sample(name + "_count", labels, values, snapshot.count(), extra);
            out.sample(name + "_sum", labels, values, snapshot.sumNanos() / 1e9, extra);
        });
        out.family(name + "_max", "gauge", help + ", the longest of the last one to two minutes");
        snapshots.forEach((values, snapshot) -> out.sample(name + "_max", labels, values, snapshot.maxNanos() / 1e9,
                extra));
    }

    private static String[] with(String[] extra, String name, String value) {
        String[] all = Arrays.copyOf(extra, extra.length + 2);
        all[extra.length] = name;
        all[extra.length + 1] = value;
        return all;
    }

    /** One label value's figures. Recording takes a lock that only scrapes and other recordings contend for. */
    private static final class Series {
        private final long[] buckets = new long[BOUNDS.length];
        private long count;
        private long sumNanos;
        private long periodStart;
        private long maxNanos;
        private long previousMaxNanos;

        Series(long now) {
            this.periodStart = now;
        }

        synchronized void record(long nanos, long now) {
            age(now);
            double seconds = nanos / 1e9;
            for (int i = 0; i < BOUNDS.length; i++) {
                if (seconds <= BOUNDS[i]) {
                    buckets[i]++;
                    break;
                }
            }
            count++;
            sumNanos += nanos;
            maxNanos = Math.max(maxNanos, nanos);
        }

        synchronized Snapshot snapshot(long now) {
            age(now);
            return new Snapshot(buckets.clone(), count, sumNanos, Math.max(maxNanos, previousMaxNanos));
        }

        /** Starts a new period for {@code _max} once the current one is over; the previous one is still shown. */
        private void age(long now) {
            long elapsed = now - periodStart;
            if (elapsed >= MAX_PERIOD_NANOS) {
                previousMaxNanos = elapsed >= 2 * MAX_PERIOD_NANOS ? 0 : maxNanos;
                maxNanos = 0;
                periodStart = now - elapsed % MAX_PERIOD_NANOS;
            }
        }

        /** @param buckets counts per bound, not cumulative; beyond the last bound only in count */
        record Snapshot(long[] buckets, long count, long sumNanos, long maxNanos) {
        }
    }
}
