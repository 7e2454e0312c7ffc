package com.rainforestqa.integrations.host.delivery;

import java.time.Instant;

/**
 * Remembers which event deliveries succeeded, so that a repeated event (same {@code event_id}, same integration
 * configuration) is not delivered twice, and so that concurrent repeats wait for the first instead of racing it.
 *
 * <p>Keys are opaque digests; no setting value is stored. It coordinates the copies of an event within one process
 * and answers recent repeats from memory; the {@link DeliveryLog} is the record that outlives the process.
 */
public interface IdempotencyStore {

    /** What a caller may do with a key. */
    enum Claim {
        /** Delivered before, within the retention: send nothing. */
        DELIVERED_BEFORE,
        /** The caller owns the delivery and must call {@link #finish} when it is over. */
        OWNED,
        /** Another delivery of the same key was still running when the caller's deadline came. */
        STILL_RUNNING
    }

    /**
     * Claims a key, waiting while another delivery of it runs, until the deadline at most.
     *
     * @param key the digest of event id and integration configuration
     * @param deadline how long to wait for a running delivery of the same key
     * @return what the caller may do
     */
    Claim claim(String key, Instant deadline);

    /**
     * Ends a delivery the caller owns.
     *
     * @param key the claimed key
     * @param delivered whether the target accepted the event; only then is the key remembered
     */
    void finish(String key, boolean delivered);
}
