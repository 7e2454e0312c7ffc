package com.rainforestqa.integrations.host.cli;

import com.rainforestqa.integrations.host.delivery.PluginCall;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Collects the exceptions plugins throw while {@code send} runs, from the log records the host writes for them
 * (messages already redacted there), so {@code send} prints each with its stack trace after the results rather
 * than in the middle of them on the log's stream.
 */
final class PluginFailures extends Handler implements AutoCloseable {
    private final Logger logger = Logger.getLogger(PluginCall.class.getName());
    private final boolean usedParentHandlers;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    private PluginFailures() {
        setLevel(Level.SEVERE);
        usedParentHandlers = logger.getUseParentHandlers();
    }

    /** @return a collector installed on the logger of plugin calls until closed */
    static PluginFailures listen() {
        PluginFailures failures = new PluginFailures();
        failures.logger.addHandler(failures);
        failures.logger.setUseParentHandlers(false);
        return failures;
    }

    @Override
    public void publish(LogRecord record) {
        if (isLoggable(record) && record.getThrown() != null) {
            records.add(record);
        }
    }

    /**
     * Prints each failure: the log message, then the stack trace.
     *
     * @param out where to print
     */
    void printTo(PrintStream out) {
        for (LogRecord record : records) {
            out.println(record.getMessage());
            record.getThrown().printStackTrace(out);
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
        logger.setUseParentHandlers(usedParentHandlers);
    }
}
