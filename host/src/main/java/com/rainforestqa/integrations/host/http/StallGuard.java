package com.rainforestqa.integrations.host.http;

import io.helidon.common.buffers.BufferData;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.Status;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1ConnectionListener;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Times out requests whose client stops sending: the headers within {@code header-timeout} of the request line, the
 * body within {@code body-timeout} of the headers (answered {@code 408} and closed), and the next request within
 * {@code idle-timeout} of an answer (closed). The web server reads without a deadline, so without this a client that
 * sends half a request holds its connection, and the memory behind it, for as long as it likes.
 *
 * <p>The server runs each connection on one thread, which also runs the routing: a watch is kept per connection
 * thread, moved along by the server's connection events ({@link #receiving()}, {@link #sending()}) and by the handler
 * that reads a body ({@link #bodyRead()}). A watchdog thread checks the deadlines ten times a second.
 *
 * <p>When more than half of {@code maxConnections} are open, the watchdog also ends every request that has been
 * waiting for its client for more than 250 ms, and every idle connection: honest clients send a request in one go,
 * so under that pressure the connections held open by slow or stalled clients make room for new ones long before the
 * connection limit, or the memory behind it, is reached.
 */
public final class StallGuard implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(StallGuard.class.getName());
    private static final long TICK_MILLIS = 100;
    private static final long PRESSURE_GRACE_NANOS = Duration.ofMillis(250).toNanos();
    private static final long PRESSURE_LOG_INTERVAL_NANOS = Duration.ofMinutes(1).toNanos();
    private static final byte[] TIMEOUT_ANSWER = timeoutAnswer();

    /**
     * How long a client may take.
     *
     * @param headerTimeout from the request line to the end of the headers
     * @param bodyTimeout from the end of the headers to the end of the body
     * @param idleTimeout from an answer to the next request line
     * @param maxConnections the server's connection limit; half of it starts the pressure rule, 0 or less never
     */
    public record Settings(Duration headerTimeout, Duration bodyTimeout, Duration idleTimeout, int maxConnections) {
    }

    private enum Phase {
        /** Reading the headers: expiry answers 408. */
        HEAD,
        /** Reading the body: expiry answers 408. */
        BODY,
        /** Handling the request: no deadline of ours (the delivery deadline bounds it). */
        HANDLING,
        /** Answered, waiting for the next request: expiry closes. */
        IDLE
    }

    private final Settings settings;
    private final Map<Thread, Watch> watches = new ConcurrentHashMap<>();
    private final AtomicLong timedOut = new AtomicLong();
    private final Thread watchdog;
    private volatile boolean running = true;
    private long lastPressureLog = System.nanoTime() - PRESSURE_LOG_INTERVAL_NANOS;

    /**
     * Starts the watchdog.
     *
     * @param settings the timeouts and the connection limit
     */
    public StallGuard(Settings settings) {
        this.settings = settings;
        this.watchdog = Thread.ofPlatform().name("stall-guard").daemon().start(this::watch);
    }

    /** @return the listener of what the server reads; add it to the HTTP/1.1 protocol's receive listeners */
    public Http1ConnectionListener receiving() {
        return new Http1ConnectionListener() {
            @Override
            public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
                enter(ctx, Phase.HEAD, settings.headerTimeout());
            }

            @Override
            public void headers(ConnectionContext ctx, Headers headers) {
                boolean body = headers.contains(HeaderNames.TRANSFER_ENCODING)
                        || headers.first(HeaderNames.CONTENT_LENGTH).filter(length -> !length.equals("0")).isPresent();
                enter(ctx, body ? Phase.BODY : Phase.HANDLING, settings.bodyTimeout());
            }
        };
    }

    /** @return the listener of what the server sends; add it to the HTTP/1.1 protocol's send listeners */
    public Http1ConnectionListener sending() {
        return new Http1ConnectionListener() {
            @Override
            public void status(ConnectionContext ctx, Status status) {
                enter(ctx, Phase.IDLE, settings.idleTimeout());
            }
        };
    }

    /** Tells the guard that the request on this thread has its whole body: its handling has no deadline of ours. */
    public void bodyRead() {
        Watch watch = watches.get(Thread.currentThread());
        if (watch != null) {
            watch.move(Phase.HANDLING, 0);
        }
    }

    /** @return how many requests and idle connections were timed out since the start */
    public long timedOut() {
        return timedOut.get();
    }

    @Override
    public void close() {
        running = false;
        watchdog.interrupt();
    }

    private void enter(ConnectionContext ctx, Phase phase, Duration timeout) {
        Thread thread = Thread.currentThread();
        Watch watch = watches.get(thread);
        if (watch == null || watch.ctx != ctx) {
            watch = new Watch(ctx);
            watches.put(thread, watch);
        }
        watch.move(phase, timeout.toNanos());
    }

    private void watch() {
        while (running) {
            try {
                Thread.sleep(TICK_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            boolean pressure = settings.maxConnections() > 0 && watches.size() > settings.maxConnections() / 2;
            if (pressure && now - lastPressureLog > PRESSURE_LOG_INTERVAL_NANOS) {
                lastPressureLog = now;
                LOG.log(System.Logger.Level.WARNING, "{0} connections open, the limit is {1}: requests waiting "
                        + "for their client for more than 250 ms, and idle connections, are ended",
                        watches.size(), settings.maxConnections());
            }
            watches.forEach((thread, watch) -> {
                if (!thread.isAlive()) {
                    watches.remove(thread, watch);
                } else if (watch.expire(now, pressure)) {
                    watches.remove(thread, watch);
                    timedOut.incrementAndGet();
                }
            });
        }
    }

    private static byte[] timeoutAnswer() {
        byte[] body = "{\"error\":\"the request was not received in time\",\"type\":\"request_timeout\"}"
                .getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 408 Request Timeout\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length + "\r\nConnection: close\r\n\r\n";
        byte[] answer = new byte[head.length() + body.length];
        System.arraycopy(head.getBytes(StandardCharsets.US_ASCII), 0, answer, 0, head.length());
        System.arraycopy(body, 0, answer, head.length(), body.length);
        return answer;
    }

    /** One connection's phase and deadline; its thread moves it on, the watchdog ends it. */
    private static final class Watch {
        private final ConnectionContext ctx;
        private Phase phase = Phase.HANDLING;
        private long since;
        private long deadline;
        private boolean ended;

        Watch(ConnectionContext ctx) {
            this.ctx = ctx;
        }

        synchronized void move(Phase next, long timeoutNanos) {
            if (ended || (next == Phase.HEAD && phase == Phase.HEAD)) {
                return;
            }
            phase = next;
            since = System.nanoTime();
            deadline = since + timeoutNanos;
        }

        /** Ends the connection when its deadline has passed, or under pressure after 250 ms; true if it did. */
        synchronized boolean expire(long now, boolean pressure) {
            if (phase == Phase.HANDLING) {
                return false;
            }
            boolean late = now - deadline > 0 || (pressure && now - since > PRESSURE_GRACE_NANOS);
            if (!late) {
                return false;
            }
            ended = true;
            try {
                if (phase != Phase.IDLE) {
                    ctx.dataWriter().writeNow(BufferData.create(TIMEOUT_ANSWER));
                    LOG.log(System.Logger.Level.DEBUG, "Request from {0} timed out while reading its {1}",
                            ctx.remotePeer().address(), phase == Phase.HEAD ? "headers" : "body");
                }
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "Could not answer 408 to {0}: {1}", ctx.remotePeer().address(),
                        e.toString());
            } finally {
                ctx.serverSocket().close();
            }
            return true;
        }
    }
}
