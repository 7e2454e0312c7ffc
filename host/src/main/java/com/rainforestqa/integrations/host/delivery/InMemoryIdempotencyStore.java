package com.rainforestqa.integrations.host.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The idempotency store of a single instance: delivered keys kept for the retention, oldest evicted first when the
 * bound is reached. Memory stays bounded whatever the traffic: a key is a 64-character digest.
 */
public final class InMemoryIdempotencyStore implements IdempotencyStore {
    private final Duration retention;
    private final int maxEntries;
    private final Clock clock;
    // Insertion order is expiry order, since every key is kept for the same retention.
    private final LinkedHashMap<String, Instant> delivered = new LinkedHashMap<>();
    private final Map<String, CompletableFuture<Void>> running = new HashMap<>();

    /**
     * A store.
     *
     * @param retention how long a delivered key is remembered
     * @param maxEntries how many delivered keys are remembered at most
     * @param clock the clock
     */
    public InMemoryIdempotencyStore(Duration retention, int maxEntries, Clock clock) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be at least 1");
        }
        this.retention = retention;
        this.maxEntries = maxEntries;
        this.clock = clock;
    }

    @Override
    public Claim claim(String key, Instant deadline) {
        while (true) {
            CompletableFuture<Void> first;
            synchronized (this) {
                evictExpired();
                if (delivered.containsKey(key)) {
                    return Claim.DELIVERED_BEFORE;
                }
                first = running.get(key);
                if (first == null) {
                    running.put(key, new CompletableFuture<>());
                    return Claim.OWNED;
                }
            }
            long left = Duration.between(clock.instant(), deadline).toMillis();
            if (left <= 0) {
                return Claim.STILL_RUNNING;
            }
            try {
                first.get(left, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                return Claim.STILL_RUNNING;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Claim.STILL_RUNNING;
            } catch (ExecutionException e) {
                // never completed exceptionally; look again
            }
        }
    }

    @Override
    public void finish(String key, boolean wasDelivered) {
        CompletableFuture<Void> waiting;
        synchronized (this) {
            if (wasDelivered) {
                delivered.remove(key);
                delivered.put(key, clock.instant().plus(retention));
                while (delivered.size() > maxEntries) {
                    Iterator<String> eldest = delivered.keySet().iterator();
                    eldest.next();
                    eldest.remove();
                }
            }
            waiting = running.remove(key);
        }
        if (waiting != null) {
            waiting.complete(null);
        }
    }

    /** @return how many delivered keys are remembered */
    public synchronized int size() {
        evictExpired();
        return delivered.size();
    }

    private void evictExpired() {
        Instant now = clock.instant();
        Iterator<Map.Entry<String, Instant>> entries = delivered.entrySet().iterator();
        while (entries.hasNext() && !entries.next().getValue().isAfter(now)) {
            entries.remove();
        }
    }
}
