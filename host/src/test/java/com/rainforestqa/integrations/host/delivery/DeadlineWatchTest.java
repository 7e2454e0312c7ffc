package com.rainforestqa.integrations.host.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class DeadlineWatchTest {
    /** Sleeps up to a minute: a deadline met within the tests' time-out was met by waking the watcher for it. */
    private final DeadlineWatch deadlines = new DeadlineWatch(Clock.systemUTC(), Duration.ofMinutes(1));

    @AfterEach
    void close() {
        deadlines.close();
    }

    @Test
    void aDeadlineEarlierThanTheNextLookWakesTheWatcher() throws InterruptedException {
        // Let the watcher settle into its longest sleep with nothing to watch.
        Thread.sleep(200);

        boolean interrupted;
        try (DeadlineWatch.Watch watch = deadlines.watch(Instant.now().plusMillis(50))) {
            interrupted = !sleep(Duration.ofSeconds(5));
            assertThat(watch.expired()).isTrue();
        }

        assertThat(interrupted).isTrue();
        assertThat(Thread.currentThread().isInterrupted()).as("the interrupt is cleared on close").isFalse();
    }

    @Test
    void aDeliveryThatEndsInTimeIsNotInterrupted() throws InterruptedException {
        try (DeadlineWatch.Watch watch = deadlines.watch(Instant.now().plusMillis(300))) {
            assertThat(sleep(Duration.ofMillis(20))).isTrue();
            assertThat(watch.expired()).isFalse();
        }
        // Past the deadline of the closed watch: nothing comes.
        assertThat(sleep(Duration.ofMillis(600))).isTrue();
    }

    @Test
    void watchesEachExpireAtTheirOwnDeadline() throws InterruptedException {
        try (DeadlineWatch.Watch late = deadlines.watch(Instant.now().plusSeconds(30))) {
            Thread.sleep(50);
            try (DeadlineWatch.Watch early = deadlines.watch(Instant.now().plusMillis(50))) {
                assertThat(sleep(Duration.ofSeconds(5))).isFalse();
                assertThat(early.expired()).isTrue();
            }
            assertThat(late.expired()).isFalse();
        }
    }

    /** @return whether the sleep ran its course; false if it was interrupted */
    private static boolean sleep(Duration duration) {
        try {
            Thread.sleep(duration);
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }
}
