package com.rainforestqa.integrations.host.observe;

import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.StreamHandler;

/**
 * Writes log lines to standard output with a {@link LogLineFormatter}, each flushed as it is written, so that a line
 * is out before the answer it describes and nothing waits in a buffer when the process dies.
 */
public final class ConsoleLogHandler extends StreamHandler {
    /** A handler in the text format; {@code integrations.log.format} may switch it to JSON once config is read. */
    public ConsoleLogHandler() {
        super(System.out, LogLineFormatter.text());
        setLevel(Level.ALL);
    }

    @Override
    public synchronized void publish(LogRecord record) {
        super.publish(record);
        flush();
    }

    /** Flushes only: standard output outlives the handler. */
    @Override
    public synchronized void close() {
        flush();
    }
}
