package com.rainforestqa.integrations.host.observe;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counters of one name, one per combination of label values. Thread-safe; counting does not lock. */
final class CounterFamily {
    private final String name;
    private final String help;
    private final List<String> labels;
    private final Map<List<String>, LongAdder> series = new ConcurrentHashMap<>();

    /**
     * @param name the Prometheus name, ending in {@code _total}
     * @param help what it counts
     * @param labels the label names, the same for every series
     */
    CounterFamily(String name, String help, String... labels) {
        this.name = name;
        this.help = help;
        this.labels = List.of(labels);
    }

    /**
     * Adds one to the series with these label values.
     *
     * @param values one value per label name, in order
     */
    void increment(String... values) {
        if (values.length != labels.size()) {
            throw new IllegalArgumentException(name + " takes " + labels + ", got " + Arrays.toString(values));
        }
        List<String> key = List.of(values);
        LongAdder counter = series.get(key);
        if (counter == null) {
            counter = series.computeIfAbsent(key, ignored -> new LongAdder());
        }
        counter.increment();
    }

    /** Writes the family; nothing when nothing was counted yet. */
    void writeTo(PrometheusText out, String... extra) {
        if (series.isEmpty()) {
            return;
        }
        out.family(name, "counter", help);
        PrometheusText.sorted(series).forEach((values, counter) ->
                out.sample(name, labels, values, counter.sum(), extra));
    }
}
