package com.rainforestqa.integrations.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rainforestqa.integrations.host.config.HostConfig;

import com.rainforestqa.integrations.host.observe.LogLineFormatter;

import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import org.junit.jupiter.api.Test;

/** {@code integrations.log.format} switches the console to one JSON object per line. */
class LogFormatTest {
    @Test
    void jsonFormatWritesOneJsonObjectPerRecord() {
        Logger root = Logger.getLogger("");
        Handler handler = new ConsoleHandler();
        Formatter original = new SimpleFormatter();
        handler.setFormatter(original);
        root.addHandler(handler);
        try {
            LogFormat.apply(HostConfig.fromYaml("integrations:\n  log:\n    format: json\n")
                    .get("integrations.log.format"));

            assertThat(handler.getFormatter()).isInstanceOf(LogLineFormatter.class);
            String line = handler.getFormatter().format(new LogRecord(Level.INFO, "Event run_completion (id e-1)"));
            assertThat(line.strip()).startsWith("{").endsWith("}").contains("\"message\":\"Event run_completion (id e-1)\"");
        } finally {
            root.removeHandler(handler);
        }
    }

    @Test
    void textIsTheDefaultAndOtherValuesAreRefused() {
        LogFormat.apply(HostConfig.fromYaml("{}").get("integrations.log.format"));
        assertThatThrownBy(() -> LogFormat.apply(HostConfig.fromYaml("integrations:\n  log:\n    format: xml\n")
                .get("integrations.log.format")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("integrations.log.format must be text or json, not xml");
    }
}
