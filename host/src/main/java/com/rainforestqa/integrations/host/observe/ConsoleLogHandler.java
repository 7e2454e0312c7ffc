package com.rainforestqa.integrations.host.observe;

import java.io.PrintStream;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.ErrorManager;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * Writes log lines to standard output with a {@link LogLineFormatter}, from a writer thread of its own.
 *
 * <p>Requests run on virtual threads, and a virtual thread that writes to a file or a pipe makes the scheduler wake a
 * spare carrier thread for the length of the write: written by the request's thread, every line would cost a write and
 * two thread wake-ups. Here the request's thread formats its line and queues it; one platform thread writes whatever
 * has queued up in a single write, then waits a moment for more. Under load one write carries many lines; an idle
 * service is woken by its next line. While the output keeps up, lines are about {@link #LINGER} late at most, and
 * nothing queued is lost on an orderly stop: closing the handler, which the logging shutdown does, writes the rest, and
 * lines published after that are written at once.
 */
public final class ConsoleLogHandler extends Handler {
    /** How long the writer waits for more lines after a write, so that the next write carries them all. */
    static final long LINGER = TimeUnit.MILLISECONDS.toNanos(2);
    /** Lines waiting beyond this make publishers wait: when the output is slow, memory stays bounded. */
    static final int CAPACITY = 8192;
    /** Large batches are written in parts of about this many characters. */
    private static final int BATCH_CHARS = 64 * 1024;

    private final PrintStream out;
    private final Queue<String> lines = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final Object writing = new Object();
    private final Thread writer;
    private volatile boolean idle;
    private volatile boolean closed;

    /** A handler on standard output in the text format; {@code integrations.log.format} may switch it to JSON. */
    public ConsoleLogHandler() {
        this(System.out);
    }

    ConsoleLogHandler(PrintStream out) {
        this.out = out;
        setFormatter(LogLineFormatter.text());
        setLevel(Level.ALL);
        this.writer = Thread.ofPlatform().daemon().name("log-writer").start(this::writeLoop);
    }

    @Override
    public void publish(LogRecord record) {
        if (!isLoggable(record)) {
            return;
        }
        String line;
        try {
            line = getFormatter().format(record);
        } catch (RuntimeException e) {
            reportError(null, e, ErrorManager.FORMAT_FAILURE);
            return;
        }
        while (queued.get() >= CAPACITY && !closed && writer.isAlive()) {
            LockSupport.parkNanos(LINGER);
        }
        lines.add(line);
        queued.incrementAndGet();
        // Either the writer is still running and will see the line, or close() has passed its last drain and the
        // line is written here: the queue is read after closed is set, and closed after the line is queued. A writer
        // that died (of an Error) leaves the writing to the publishers.
        if (closed || !writer.isAlive()) {
            drain();
        } else if (idle) {
            LockSupport.unpark(writer);
        }
    }

    private void writeLoop() {
        while (!closed) {
            drain();
            LockSupport.parkNanos(LINGER);
            if (lines.isEmpty()) {
                idle = true;
                // Checked again after idle is set: a line queued in between would otherwise wait for the next one.
                if (lines.isEmpty() && !closed) {
                    LockSupport.park(this);
                }
                idle = false;
            }
        }
    }

    /** Writes every queued line, in order: lines are taken from the queue and written under one lock. */
    private void drain() {
        synchronized (writing) {
            StringBuilder batch = new StringBuilder();
            int taken = 0;
            for (String line = lines.poll(); line != null; line = lines.poll()) {
                batch.append(line);
                taken++;
                if (batch.length() >= BATCH_CHARS) {
                    out.print(batch);
                    batch.setLength(0);
                }
            }
            if (taken > 0) {
                out.print(batch);
                out.flush();
                queued.addAndGet(-taken);
                if (out.checkError()) {
                    reportError("could not write to standard output", null, ErrorManager.WRITE_FAILURE);
                }
            }
        }
    }

    /** Writes every line queued so far. */
    @Override
    public void flush() {
        drain();
    }

    /** Writes the queued lines and stops the writer; later lines are written as they come. The output stays open. */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(writer);
        drain();
    }
}
