package com.rainforestqa.integrations.host.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Interrupts deliveries that run on the request's own thread once their deadline has passed, as cancelling the
 * future of a delivery on a thread of its own does. One platform thread looks at the watched deliveries every few
 * milliseconds: registering a delivery here costs a set insertion, where a timed wait for another thread costs a
 * timer in the virtual-thread scheduler and two thread switches per event.
 */
final class DeadlineWatch implements AutoCloseable {
    private static final Duration TICK = Duration.ofMillis(20);
    private static final int RUNNING = 0;
    private static final int INTERRUPTING = 1;
    private static final int EXPIRED = 2;
    private static final int DONE = 3;

    private final Set<Watch> watches = ConcurrentHashMap.newKeySet();
    private final Clock clock;
    private final Thread ticker;

    DeadlineWatch(Clock clock) {
        this.clock = clock;
        this.ticker = Thread.ofPlatform().daemon().name("delivery-deadlines").start(this::tick);
    }

    /**
     * Watches the calling thread until the returned watch is closed.
     *
     * @param until when to interrupt the thread
     * @return the watch; close it when the delivery is over, on the same thread
     */
    Watch watch(Instant until) {
        Watch watch = new Watch(Thread.currentThread(), until);
        watches.add(watch);
        return watch;
    }

    private void tick() {
        while (true) {
            try {
                Thread.sleep(TICK);
            } catch (InterruptedException e) {
                return;
            }
            Instant now = clock.instant();
            for (Watch watch : watches) {
                if (now.isAfter(watch.until)) {
                    watch.expire();
                }
            }
        }
    }

    @Override
    public void close() {
        ticker.interrupt();
    }

    /** One watched delivery. */
    final class Watch implements AutoCloseable {
        private final Thread thread;
        private final Instant until;
        private final AtomicInteger state = new AtomicInteger(RUNNING);

        private Watch(Thread thread, Instant until) {
            this.thread = thread;
            this.until = until;
        }

        private void expire() {
            if (state.compareAndSet(RUNNING, INTERRUPTING)) {
                thread.interrupt();
                state.set(EXPIRED);
            }
            watches.remove(this);
        }

        /** @return whether the deadline passed and the thread was, or is being, interrupted */
        boolean expired() {
            int now = state.get();
            return now == INTERRUPTING || now == EXPIRED;
        }

        /**
         * Ends the watch. If the deadline interrupted the thread, its interrupt status is cleared: the request still
         * has an answer to write.
         */
        @Override
        public void close() {
            watches.remove(this);
            if (!state.compareAndSet(RUNNING, DONE)) {
                while (state.get() == INTERRUPTING) {
                    Thread.onSpinWait();
                }
                Thread.interrupted();
            }
        }
    }
}
