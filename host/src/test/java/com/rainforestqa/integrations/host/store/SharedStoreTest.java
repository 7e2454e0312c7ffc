package com.rainforestqa.integrations.host.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rainforestqa.integrations.host.delivery.IdempotencyStore;
import com.rainforestqa.integrations.host.delivery.InMemoryIdempotencyStore;
import com.rainforestqa.integrations.host.delivery.SharedIdempotencyStore;
import com.rainforestqa.integrations.host.testing.PostgresServer;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The store on a real PostgreSQL server, as several instances share it: schema creation by instances starting at
 * once, the key check, and the claims that keep two instances from delivering one event twice.
 */
class SharedStoreTest {
    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private static PostgresServer postgres;

    @BeforeAll
    static void startPostgres() {
        postgres = PostgresServer.start();
    }

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
    }

    private static StoreSettings settings(String url, String key) {
        return new StoreSettings(StoreSettings.Type.POSTGRESQL, Path.of("unused"), Optional.of(url),
                Optional.of(PostgresServer.USER), Optional.of(PostgresServer.PASSWORD), Optional.of(key),
                Duration.ofDays(7), Duration.ofSeconds(30), 4, 0);
    }

    private static String newDatabase() {
        return postgres.createDatabase("shared_" + DATABASES.incrementAndGet());
    }

    @Test
    void instancesStartingAtOnceOnAnEmptyDatabaseMakeOneSchema() throws Exception {
        String url = newDatabase();
        List<Store> stores = new ArrayList<>();
        try (ExecutorService instances = Executors.newFixedThreadPool(3)) {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Store>> opening = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                opening.add(instances.submit(() -> {
                    go.await();
                    return Store.open(settings(url, KEY));
                }));
            }
            go.countDown();
            for (Future<Store> store : opening) {
                stores.add(store.get(60, TimeUnit.SECONDS));
            }
            Store first = stores.getFirst();

            assertThat(count(first, "SELECT COUNT(*) FROM flyway_schema_history WHERE success AND version IS NOT NULL"))
                    .isEqualTo(1);
            assertThat(count(first, "SELECT COUNT(*) FROM store_meta")).as("one key check").isEqualTo(1);
            assertThat(count(first, "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'public' "
                    + "AND table_name = 'deliveries'")).isEqualTo(1);
        } finally {
            stores.forEach(Store::close);
        }
    }

    @Test
    void anInstanceWithAnotherKeyRefusesToStart() {
        String url = newDatabase();
        Store.open(settings(url, KEY)).close();
        String other = Base64.getEncoder().encodeToString("another key of thirty-two bytes!".getBytes());

        assertThatThrownBy(() -> Store.open(settings(url, other)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not the key the store was created with")
                .hasMessageContaining("the same on every instance");
    }

    @Test
    void aSecondInstanceWaitsForTheFirstsClaimAndGetsItOnceReleased() throws Exception {
        String url = newDatabase();
        try (Store one = Store.open(settings(url, KEY)); Store two = Store.open(settings(url, KEY));
             ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            IdempotencyStore first = shared(one);
            IdempotencyStore second = shared(two);
            Instant deadline = Instant.now().plusSeconds(20);

            assertThat(first.claim("delivery-1", deadline)).isEqualTo(IdempotencyStore.Claim.OWNED);
            Future<IdempotencyStore.Claim> waiting = callers.submit(() -> second.claim("delivery-1", deadline));
            Thread.sleep(300);
            assertThat(waiting).as("the second claim waits while the first holds it").isNotDone();

            first.finish("delivery-1", true);

            assertThat(waiting.get(10, TimeUnit.SECONDS)).isEqualTo(IdempotencyStore.Claim.OWNED);
            second.finish("delivery-1", true);
            assertThat(count(one, "SELECT COUNT(*) FROM delivery_claims")).isZero();
        }
    }

    @Test
    void aClaimHeldPastTheWaitersDeadlineIsStillRunningAndLapsesAfterItsOwn() throws Exception {
        String url = newDatabase();
        try (Store one = Store.open(settings(url, KEY)); Store two = Store.open(settings(url, KEY))) {
            // The holder's claim lasts its deadline plus a margin of one second; it never finishes, as if it died.
            IdempotencyStore holder = new SharedIdempotencyStore(local(), one, Duration.ofSeconds(1),
                    Clock.systemUTC());
            IdempotencyStore waiter = shared(two);
            assertThat(holder.claim("delivery-2", Instant.now().plusSeconds(1))).isEqualTo(
                    IdempotencyStore.Claim.OWNED);

            assertThat(waiter.claim("delivery-2", Instant.now().plusMillis(300)))
                    .isEqualTo(IdempotencyStore.Claim.STILL_RUNNING);
            assertThat(waiter.claim("delivery-2", Instant.now().plusSeconds(10)))
                    .as("taken over once the dead holder's claim lapsed").isEqualTo(IdempotencyStore.Claim.OWNED);
        }
    }

    @Test
    void concurrentClaimsOfOneKeyFromTwoInstancesHaveOneOwnerAtATime() throws Exception {
        String url = newDatabase();
        try (Store one = Store.open(settings(url, KEY)); Store two = Store.open(settings(url, KEY));
             ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<IdempotencyStore> instances = List.of(shared(one), shared(two));
            AtomicInteger holders = new AtomicInteger();
            AtomicInteger most = new AtomicInteger();
            List<Future<IdempotencyStore.Claim>> claims = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                IdempotencyStore instance = instances.get(i % 2);
                claims.add(callers.submit(() -> {
                    IdempotencyStore.Claim claim = instance.claim("delivery-3", Instant.now().plusSeconds(30));
                    if (claim == IdempotencyStore.Claim.OWNED) {
                        most.accumulateAndGet(holders.incrementAndGet(), Math::max);
                        Thread.sleep(20);
                        holders.decrementAndGet();
                        instance.finish("delivery-3", false);
                    }
                    return claim;
                }));
            }
            for (Future<IdempotencyStore.Claim> claim : claims) {
                assertThat(claim.get(60, TimeUnit.SECONDS)).isEqualTo(IdempotencyStore.Claim.OWNED);
            }
            assertThat(most).hasValue(1);
        }
    }

    private static IdempotencyStore shared(Store store) {
        return new SharedIdempotencyStore(local(), store, Duration.ofSeconds(10), Clock.systemUTC());
    }

    private static IdempotencyStore local() {
        return new InMemoryIdempotencyStore(Duration.ofDays(1), 1000, Clock.systemUTC());
    }

    private static long count(Store store, String sql) {
        return store.read(connection -> {
            try (PreparedStatement select = connection.prepareStatement(sql); ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        });
    }
}
