package com.rainforestqa.integrations.host.delivery;

import com.rainforestqa.integrations.host.store.Store;
import com.rainforestqa.integrations.host.store.StoreException;

import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The idempotency store of instances that share one PostgreSQL store. Copies of an event within this instance wait
 * for each other in memory, as with one instance; the copy that goes ahead then claims the delivery in the store's
 * {@code delivery_claims} table, where a copy that reached another instance finds the claim and waits, polling, until
 * it is released (the outcome is then in the {@link DeliveryLog}) or its own deadline comes.
 *
 * <p>A claim lasts until the claimant's deadline and a margin for recording the outcome: the claim of an instance
 * that died mid-delivery lapses then, and a later copy of the event is delivered.
 *
 * <p>Claims are committed without waiting for the database's disk flush (the store's sessions run with
 * {@code synchronous_commit} off): a claim lost in a database crash costs at worst a second delivery, which the
 * delivery guarantees allow, while a flush per claim would double the flushes per event.
 */
public final class SharedIdempotencyStore implements IdempotencyStore {
    private static final System.Logger LOG = System.getLogger(SharedIdempotencyStore.class.getName());
    private static final Duration POLL = Duration.ofMillis(20);

    private final IdempotencyStore local;
    private final Store store;
    private final Duration margin;
    private final Clock clock;

    /**
     * A store.
     *
     * @param local coordinates the copies within this instance and remembers what it delivered
     * @param store the shared store, which holds the claims
     * @param margin how long a claim outlasts its claimant's deadline, for recording the outcome
     * @param clock the clock
     */
    public SharedIdempotencyStore(IdempotencyStore local, Store store, Duration margin, Clock clock) {
        this.local = local;
        this.store = store;
        this.margin = margin;
        this.clock = clock;
    }

    @Override
    public Claim claim(String key, Instant deadline) {
        Claim here = local.claim(key, deadline);
        if (here != Claim.OWNED) {
            return here;
        }
        boolean owned = false;
        try {
            while (true) {
                Instant now = clock.instant();
                if (tryClaim(key, now, deadline.plus(margin))) {
                    owned = true;
                    return Claim.OWNED;
                }
                long left = Duration.between(now, deadline).toMillis();
                if (left <= 0) {
                    return Claim.STILL_RUNNING;
                }
                Thread.sleep(Math.min(left, POLL.toMillis()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Claim.STILL_RUNNING;
        } finally {
            if (!owned) {
                local.finish(key, false);
            }
        }
    }

    @Override
    public void finish(String key, boolean delivered) {
        try {
            store.read(connection -> {
                try (PreparedStatement delete = connection.prepareStatement("DELETE FROM delivery_claims WHERE id = ?")) {
                    delete.setString(1, key);
                    return delete.executeUpdate();
                }
            });
        } catch (StoreException e) {
            // The database is away; the claim lapses at its time, and a copy waiting for it goes ahead then.
            LOG.log(System.Logger.Level.DEBUG, "Claim " + key + " not released: " + e.getMessage());
        } finally {
            local.finish(key, delivered);
        }
    }

    /** Takes the claim when no other instance holds it, or its holder's time is up. */
    private boolean tryClaim(String key, Instant now, Instant until) {
        return store.read(connection -> {
            try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO delivery_claims (id, until) "
                    + "VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET until = EXCLUDED.until "
                    + "WHERE delivery_claims.until < ?")) {
                upsert.setString(1, key);
                upsert.setLong(2, until.toEpochMilli());
                upsert.setLong(3, now.toEpochMilli());
                return upsert.executeUpdate();
            }
        }) == 1;
    }
}
