package com.rainforestqa.integrations.host.delivery;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What one integration of an event came to, with what recording and reporting it need.
 *
 * @param result the result as the attempts left it
 * @param took how long the attempts took
 * @param attempts the attempts made now
 * @param askedWait the wait the target asked for in its last answer
 * @param id the delivery's id
 * @param prior the delivery's earlier record, for a skip that is recorded already
 * @param tried whether attempts were made now (false for skipped, duplicate and already queued ones)
 */
record DeliverySlot(DeliveryResult result, Duration took, List<Attempt> attempts, Optional<Duration> askedWait,
                    String id, Optional<DeliveryLog.Prior> prior, boolean tried) {
    /** A result that needed no attempt. */
    static DeliverySlot settled(DeliveryResult result, String id) {
        return new DeliverySlot(result, Duration.ZERO, List.of(), Optional.empty(), id, Optional.empty(), false);
    }
}
