package com.rainforestqa.integrations.api;

import java.util.ArrayList;
import java.util.List;

/**
 * Durations as messages show them, such as a run's {@code time_taken}: spelled out ({@code "1 hour, 2 minutes, 5
 * seconds"}) where there is room, compact ({@code "1h 2m 5s"}) in narrow cards and chat fields. Thread-safe.
 */
public final class HumanDuration {
    private static final long[] UNIT_SECONDS = {86_400, 3_600, 60, 1};
    private static final String[] UNIT_NAMES = {"day", "hour", "minute", "second"};

    private HumanDuration() {
    }

    /**
     * The non-zero units from days down to seconds, in words.
     *
     * @param seconds the duration in seconds, zero or more
     * @return for example {@code "1 day, 3 hours"}, {@code "25 minutes, 1 second"} or {@code "0 seconds"}
     * @throws IllegalArgumentException if seconds is negative
     */
    public static String words(long seconds) {
        requireNotNegative(seconds);
        if (seconds == 0) {
            return "0 seconds";
        }
        List<String> parts = new ArrayList<>();
        long rest = seconds;
        for (int i = 0; i < UNIT_SECONDS.length; i++) {
            long count = rest / UNIT_SECONDS[i];
            rest %= UNIT_SECONDS[i];
            if (count > 0) {
                parts.add(count + " " + UNIT_NAMES[i] + (count == 1 ? "" : "s"));
            }
        }
        return String.join(", ", parts);
    }

    /**
     * Hours, minutes and seconds in letters; hours only when there are any, minutes when there are hours or minutes.
     *
     * @param seconds the duration in seconds, zero or more
     * @return for example {@code "1h 0m 5s"}, {@code "2m 30s"} or {@code "0s"}
     * @throws IllegalArgumentException if seconds is negative
     */
    public static String compact(long seconds) {
        requireNotNegative(seconds);
        long hours = seconds / 3600;
        long minutes = seconds % 3600 / 60;
        StringBuilder text = new StringBuilder();
        if (hours > 0) {
            text.append(hours).append("h ");
        }
        if (hours > 0 || minutes > 0) {
            text.append(minutes).append("m ");
        }
        return text.append(seconds % 60).append('s').toString();
    }

    private static void requireNotNegative(long seconds) {
        if (seconds < 0) {
            throw new IllegalArgumentException("seconds is negative: " + seconds);
        }
    }
}
