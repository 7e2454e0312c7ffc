package com.rainforestqa.integrations.host.observe;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import java.io.StringReader;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.junit.jupiter.api.Test;

class LogLineFormatterTest {
    private static LogRecord record(String message, Throwable thrown) {
        LogRecord record = new LogRecord(Level.INFO, message);
        record.setLoggerName("com.rainforestqa.integrations.host.delivery.Dispatcher");
        record.setInstant(Instant.parse("2026-11-27T20:38:28.851Z"));
        record.setThrown(thrown);
        return record;
    }

    @Test
    void textIsTimeLevelLoggerAndMessageOnOneLine() {
        String line = LogLineFormatter.text().format(record("Event run_completion (id e-1): slack=delivered", null));

        assertThat(line).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO "
                + "com\\.rainforestqa\\.integrations\\.host\\.delivery\\.Dispatcher: "
                + "Event run_completion \\(id e-1\\): slack=delivered" + System.lineSeparator());
    }

    @Test
    void textFillsInParametersAndAppendsTheStackTrace() {
        LogRecord record = record("Integration {0} threw", new IllegalStateException("boom"));
        record.setParameters(new Object[] {"slack"});

        String text = LogLineFormatter.text().format(record);

        assertThat(text).contains("Dispatcher: Integration slack threw" + System.lineSeparator()
                + "java.lang.IllegalStateException: boom").contains("\tat ");
    }

    @Test
    void jsonIsOneParsableObjectPerLineWithEveryField() {
        String line = LogLineFormatter.json().format(record("quote \" backslash \\ tab \t bell \u0007 é",
                new IllegalArgumentException("bad\nvalue")));

        assertThat(line).endsWith(System.lineSeparator());
        assertThat(line.strip()).doesNotContain("\n");
        JsonObject object = Json.createReader(new StringReader(line)).readObject();
        assertThat(object.getString("ts")).isEqualTo("1795811908851");
        assertThat(object.getString("time")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.851");
        assertThat(object.getString("level")).isEqualTo("INFO");
        assertThat(object.getString("logger")).isEqualTo("com.rainforestqa.integrations.host.delivery.Dispatcher");
        assertThat(object.getString("message")).isEqualTo("quote \" backslash \\ tab \t bell \u0007 é");
        assertThat(object.getString("exception")).startsWith("java.lang.IllegalArgumentException: bad\nvalue");
        assertThat(object.getString("thread")).isNotEmpty();
    }

    @Test
    void jsonLeavesTheExceptionEmptyWithoutOne() {
        JsonObject object = Json.createReader(new StringReader(LogLineFormatter.json().format(record("ok", null))))
                .readObject();

        assertThat(object.getString("exception")).isEmpty();
    }
}
