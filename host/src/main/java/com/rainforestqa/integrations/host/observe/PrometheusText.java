package com.rainforestqa.integrations.host.observe;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Writes meters in the Prometheus text exposition format (version 0.0.4): a {@code # HELP} and a {@code # TYPE} line
 * per family, then one line per sample, {@code name{label="value",...} number}.
 */
final class PrometheusText {
    /** The media type of what {@link #toString()} returns. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /** Series in the order of their label values, so that scrapes list them alike. */
    static final Comparator<List<String>> BY_VALUES = (left, right) -> {
        for (int i = 0; i < Math.min(left.size(), right.size()); i++) {
            int order = left.get(i).compareTo(right.get(i));
            if (order != 0) {
                return order;
            }
        }
        return Integer.compare(left.size(), right.size());
    };

    private final StringBuilder out = new StringBuilder(2048);

    /**
     * @param series a family's series by label values
     * @return the same, sorted by label values
     */
    static <V> SortedMap<List<String>, V> sorted(Map<List<String>, V> series) {
        SortedMap<List<String>, V> sorted = new TreeMap<>(BY_VALUES);
        sorted.putAll(series);
        return sorted;
    }

    /**
     * Starts a family.
     *
     * @param name the family's name
     * @param type {@code counter}, {@code gauge}, {@code histogram} or {@code summary}
     * @param help what it measures, in one line
     */
    void family(String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ');
        escape(help, false);
        out.append("\n# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    /**
     * Writes a sample whose labels are {@code names} with {@code values}, then the {@code extra} label pairs.
     *
     * @param name the sample's name
     * @param names label names
     * @param values label values, as many as names
     * @param value the value
     * @param extra further labels, name then value
     */
    void sample(String name, List<String> names, List<String> values, double value, String... extra) {
        out.append(name);
        if (!names.isEmpty() || extra.length > 0) {
            out.append('{');
            for (int i = 0; i < names.size(); i++) {
                label(i > 0, names.get(i), values.get(i));
            }
            for (int i = 0; i < extra.length; i += 2) {
                label(i > 0 || !names.isEmpty(), extra[i], extra[i + 1]);
            }
            out.append('}');
        }
        out.append(' ');
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            out.append((long) value);
        } else if (Double.isInfinite(value)) {
            out.append(value > 0 ? "+Inf" : "-Inf");
        } else {
            out.append(value);
        }
        out.append('\n');
    }

    private void label(boolean comma, String name, String value) {
        if (comma) {
            out.append(',');
        }
        out.append(name).append("=\"");
        escape(value, true);
        out.append('"');
    }

    /** Backslash and line feed are escaped in help texts and label values, double quotes in label values only. */
    private void escape(String text, boolean quoted) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '"' -> out.append(quoted ? "\\\"" : "\"");
                default -> out.append(c);
            }
        }
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
