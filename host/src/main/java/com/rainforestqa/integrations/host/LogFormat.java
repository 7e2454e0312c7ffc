package com.rainforestqa.integrations.host;

import com.rainforestqa.integrations.host.observe.LogLineFormatter;

import io.helidon.config.Config;

import java.util.Locale;
import java.util.logging.Handler;
import java.util.logging.Logger;

/**
 * The log format operators choose with {@code integrations.log.format} (env {@code INTEGRATIONS_LOG_FORMAT}):
 * {@code text}, the default, or {@code json}, one JSON object per line for log collectors.
 */
final class LogFormat {
    private LogFormat() {
    }

    /**
     * Switches the console handlers to the configured format. Logging is set up before the configuration is read,
     * so the switch happens here, once the configuration is known.
     *
     * @param format the {@code integrations.log.format} node
     * @throws IllegalStateException if the format is neither {@code text} nor {@code json}
     */
    static void apply(Config format) {
        String value = format.asString().orElse("text").strip().toLowerCase(Locale.ROOT);
        switch (value) {
            case "text" -> {
            }
            case "json" -> {
                for (Handler handler : Logger.getLogger("").getHandlers()) {
                    handler.setFormatter(LogLineFormatter.json());
                }
            }
            default -> throw new IllegalStateException("integrations.log.format must be text or json, not " + value);
        }
    }
}
