package com.rainforestqa.integrations.host.observe;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * The host's log lines, as text or as one JSON object per line.
 *
 * <p>Written for the per-event line, which runs on every request: no {@code String.format}, which parses its pattern
 * on every call, and the logger's name in place of the record's source class, which {@link LogRecord} would find by
 * walking the caller's stack for every line.
 */
public final class LogLineFormatter extends Formatter {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS");

    private final boolean json;

    private LogLineFormatter(boolean json) {
        this.json = json;
    }

    /**
     * {@code 2026-11-27T20:38:28.851 INFO logger: message}, then the stack trace of an exception, if any.
     *
     * @return the formatter
     */
    public static LogLineFormatter text() {
        return new LogLineFormatter(false);
    }

    /**
     * One JSON object per line, with {@code ts} (epoch milliseconds), {@code time}, {@code level}, {@code logger},
     * {@code message}, {@code exception} and {@code thread}, all strings.
     *
     * @return the formatter
     */
    public static LogLineFormatter json() {
        return new LogLineFormatter(true);
    }

    @Override
    public String format(LogRecord record) {
        String time = TIME.format(LocalDateTime.ofInstant(record.getInstant(), ZoneId.systemDefault()));
        String level = record.getLevel().getName();
        String logger = record.getLoggerName() == null ? "" : record.getLoggerName();
        String message = formatMessage(record);
        String exception = stackTrace(record.getThrown());
        StringBuilder line = new StringBuilder(96 + message.length() + exception.length());
        if (json) {
            line.append("{\"ts\":\"").append(record.getMillis());
            field(line, "time", time);
            field(line, "level", level);
            field(line, "logger", logger);
            field(line, "message", message);
            field(line, "exception", exception);
            field(line, "thread", Thread.currentThread().toString());
            line.append("\"}");
        } else {
            line.append(time).append(' ').append(level).append(' ').append(logger).append(": ").append(message);
            if (!exception.isEmpty()) {
                line.append(System.lineSeparator()).append(exception.stripTrailing());
            }
        }
        return line.append(System.lineSeparator()).toString();
    }

    /** Closes the previous string value and writes {@code ,"name":"value} (the closing quote comes next). */
    private static void field(StringBuilder line, String name, String value) {
        line.append("\",\"").append(name).append("\":\"");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> line.append("\\\"");
                case '\\' -> line.append("\\\\");
                case '\n' -> line.append("\\n");
                case '\r' -> line.append("\\r");
                case '\t' -> line.append("\\t");
                default -> {
                    if (c < 0x20) {
                        line.append(String.format("\\u%04x", (int) c));
                    } else {
                        line.append(c);
                    }
                }
            }
        }
    }

    private static String stackTrace(Throwable thrown) {
        if (thrown == null) {
            return "";
        }
        StringWriter text = new StringWriter();
        try (PrintWriter out = new PrintWriter(text)) {
            thrown.printStackTrace(out);
        }
        return text.toString();
    }
}
