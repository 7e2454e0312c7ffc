package com.rainforestqa.integrations.host.testing;

import java.text.MessageFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects every log line the host writes while installed, formatted as an operator would read it, with the
 * stack traces of logged exceptions, so tests can check what never appears in logs.
 */
public final class LogCapture extends Handler implements AutoCloseable {
    private final Logger root = Logger.getLogger("");
    private final List<String> lines = new CopyOnWriteArrayList<>();

    private LogCapture() {
        setLevel(Level.ALL);
    }

    /** @return a capture installed on the root logger */
    public static LogCapture start() {
        LogCapture capture = new LogCapture();
        capture.root.addHandler(capture);
        return capture;
    }

    @Override
    public void publish(LogRecord record) {
        StringBuilder line = new StringBuilder(record.getLoggerName()).append(": ");
        String message = String.valueOf(record.getMessage());
        try {
            line.append(record.getParameters() == null ? message : MessageFormat.format(message, record.getParameters()));
        } catch (IllegalArgumentException e) {
            line.append(message);
        }
        for (Throwable thrown = record.getThrown(); thrown != null; thrown = thrown.getCause()) {
            line.append(" | ").append(thrown);
        }
        lines.add(line.toString());
    }

    /** @return everything logged so far, one entry per record */
    public String text() {
        return String.join("\n", lines);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        root.removeHandler(this);
    }
}
