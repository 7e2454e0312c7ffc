package com.rainforestqa.integrations.host.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import com.rainforestqa.integrations.host.delivery.IdempotencyStore.Claim;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

class InMemoryIdempotencyStoreTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T12:00:00Z"));
    private final InMemoryIdempotencyStore store = new InMemoryIdempotencyStore(Duration.ofHours(24), 3, clock);

    @Test
    void deliveredKeyIsRememberedForTheRetention() {
        assertThat(store.claim("a", later())).isEqualTo(Claim.OWNED);
        store.finish("a", true);

        assertThat(store.claim("a", later())).isEqualTo(Claim.DELIVERED_BEFORE);
        clock.advance(Duration.ofHours(24));
        assertThat(store.claim("a", later())).isEqualTo(Claim.OWNED);
    }

    @Test
    void failedDeliveryIsNotRemembered() {
        store.claim("a", later());
        store.finish("a", false);

        assertThat(store.claim("a", later())).isEqualTo(Claim.OWNED);
        assertThat(store.size()).isZero();
    }

    @Test
    void oldestKeysGoFirstWhenTheBoundIsReached() {
        for (String key : new String[] {"a", "b", "c", "d"}) {
            store.claim(key, later());
            store.finish(key, true);
        }

        assertThat(store.size()).isEqualTo(3);
        assertThat(store.claim("a", later())).isEqualTo(Claim.OWNED);
        assertThat(store.claim("d", later())).isEqualTo(Claim.DELIVERED_BEFORE);
    }

    @Test
    void secondClaimWaitsForTheFirstAndSeesItsResult() throws Exception {
        InMemoryIdempotencyStore real = new InMemoryIdempotencyStore(Duration.ofHours(1), 10, Clock.systemUTC());
        assertThat(real.claim("k", Instant.now().plusSeconds(5))).isEqualTo(Claim.OWNED);
        AtomicReference<Claim> second = new AtomicReference<>();
        Thread waiter = Thread.ofVirtual().start(() -> second.set(real.claim("k", Instant.now().plusSeconds(5))));

        Thread.sleep(100);
        assertThat(second.get()).isNull();
        real.finish("k", true);
        waiter.join();

        assertThat(second.get()).isEqualTo(Claim.DELIVERED_BEFORE);
    }

    @Test
    void secondClaimGivesUpAtItsDeadline() {
        InMemoryIdempotencyStore real = new InMemoryIdempotencyStore(Duration.ofHours(1), 10, Clock.systemUTC());
        real.claim("k", Instant.now().plusSeconds(5));

        assertThat(real.claim("k", Instant.now().plusMillis(50))).isEqualTo(Claim.STILL_RUNNING);
    }

    private Instant later() {
        return clock.instant().plusSeconds(1);
    }

    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
