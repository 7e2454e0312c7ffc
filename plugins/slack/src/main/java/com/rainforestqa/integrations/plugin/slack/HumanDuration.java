package com.rainforestqa.integrations.plugin.slack;

import java.util.ArrayList;
import java.util.List;

/** Durations as people say them: "1 hour, 2 minutes, 5 seconds". */
final class HumanDuration {
    private static final long[] UNIT_SECONDS = {86_400, 3_600, 60, 1};
    private static final String[] UNIT_NAMES = {"day", "hour", "minute", "second"};

    private HumanDuration() {
    }

    /**
     * Names the non-zero units from days down to seconds.
     *
     * @param seconds the duration in seconds, zero or more
     * @return for example {@code "25 minutes, 3 seconds"}, or {@code "0 seconds"}
     * @throws IllegalArgumentException if seconds is negative
     */
    static String of(long seconds) {
        if (seconds < 0) {
            throw new IllegalArgumentException("seconds is negative: " + seconds);
        }
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
}
