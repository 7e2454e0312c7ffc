package com.rainforestqa.integrations.host.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Interrupts deliveries that run on the request's own thread once their deadline has passed, as cancelling the
 * future of a delivery on a thread of its own does. Registering a delivery here costs a set insertion, where a timed
 * wait for another thread costs a timer in the virtual-thread scheduler and two thread switches per event.
 *
 * <p>One platform thread sleeps until the earliest deadline it knows of. Deliveries mostly end long before their
 * deadline, and a new one's deadline is mostly later than those already watched, so it wakes rarely: a wake-up every
 * few milliseconds cost more CPU than the watch itself. A watch whose deadline is earlier than the thread's next
 * wake-up wakes it.
 */
final class DeadlineWatch implements AutoCloseable {
    /** The longest sleep, also with nothing to watch: a bound on the cost of a missed wake-up. */
    private static final Duration LONGEST_SLEEP = Duration.ofSeconds(1);
    /** While the thread looks at the watches: every new watch wakes it, so none is overlooked. */
    private static final long LOOKING = Long.MAX_VALUE;
    private static final int RUNNING = 0;
    private static final int INTERRUPTING = 1;
    private static final int EXPIRED = 2;
    private static final int DONE = 3;

    private final Set<Watch> watches = ConcurrentHashMap.newKeySet();
    private final Clock clock;
    private final Duration longestSleep;
    private final Thread ticker;
    /** When the thread looks next, in epoch milliseconds, or {@link #LOOKING}. */
    private volatile long nextLook = LOOKING;

    DeadlineWatch(Clock clock) {
        this(clock, LONGEST_SLEEP);
    }

    DeadlineWatch(Clock clock, Duration longestSleep) {
        this.clock = clock;
        this.longestSleep = longestSleep;
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
        if (until.toEpochMilli() < nextLook) {
            LockSupport.unpark(ticker);
        }
        return watch;
    }

    private void tick() {
        while (!Thread.currentThread().isInterrupted()) {
            nextLook = LOOKING;
            Instant now = clock.instant();
            Instant next = now.plus(longestSleep);
            for (Watch watch : watches) {
                if (now.isAfter(watch.until)) {
                    watch.expire();
                } else if (watch.until.isBefore(next)) {
                    next = watch.until;
                }
            }
            // A watch added after the loop saw LOOKING and unparked this thread: the park below returns at once.
            nextLook = next.toEpochMilli();
            // A millisecond past the deadline, so that it has passed when the thread looks.
            LockSupport.parkNanos(this, Duration.between(now, next).toNanos() + 1_000_000);
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
