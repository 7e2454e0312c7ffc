package com.rainforestqa.integrations.host.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The orderly stop: once {@link #begin()} is called, new requests are answered {@code 503} with {@code Retry-After}
 * (a load balancer sends them to another instance), while the requests already in flight run to their end, which
 * {@link #awaitIdle(Duration)} waits for. A caller whose deliveries are under way gets its answer instead of a closed
 * connection, and a retry of it is not delivered twice.
 */
public final class Draining implements Filter {
    private static final byte[] STOPPING = "{\"error\":\"the service is stopping; send the request again\",\"type\":\"unavailable\"}"
            .getBytes(StandardCharsets.UTF_8);

    private final AtomicInteger inFlight = new AtomicInteger();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private volatile boolean draining;

    @Override
    public void filter(FilterChain chain, RoutingRequest request, RoutingResponse response) {
        // Counted before the check: a stop that begins meanwhile then waits for this request, or it is refused.
        inFlight.incrementAndGet();
        try {
            if (draining) {
                response.status(Status.SERVICE_UNAVAILABLE_503)
                        .header(HeaderNames.RETRY_AFTER, "5")
                        .header(HeaderValues.CONNECTION_CLOSE)
                        .header(HeaderValues.CONTENT_TYPE_JSON)
                        .send(STOPPING);
                return;
            }
            chain.proceed();
        } finally {
            if (inFlight.decrementAndGet() == 0 && draining) {
                lock.lock();
                try {
                    idle.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    /** Answers every new request 503 from now on. */
    public void begin() {
        draining = true;
    }

    /**
     * Waits until no request is in flight, or the grace period ends.
     *
     * @param grace the longest wait
     * @return how many requests were still in flight when the wait ended
     * @throws InterruptedException if interrupted while waiting
     */
    public int awaitIdle(Duration grace) throws InterruptedException {
        long end = System.nanoTime() + grace.toNanos();
        lock.lock();
        try {
            // Woken by the last request out, and checked at least every 100 ms: that wake-up is not ordered with
            // this check, so one can come just before the wait starts.
            for (long left = grace.toNanos(); inFlight.get() > 0 && left > 0; left = end - System.nanoTime()) {
                idle.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(100)));
            }
            return inFlight.get();
        } finally {
            lock.unlock();
        }
    }
}
