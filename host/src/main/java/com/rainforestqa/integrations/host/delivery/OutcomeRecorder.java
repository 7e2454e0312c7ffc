package com.rainforestqa.integrations.host.delivery;

import com.rainforestqa.integrations.api.ErrorType;
import com.rainforestqa.integrations.host.retry.RetrySchedule;
import com.rainforestqa.integrations.host.store.SettingsCipher;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides the state each delivery of an event is left in (delivered, skipped, failed, or queued for the
 * {@link RetrySchedule} while a transient failure has attempts left, else exhausted) and records them all in one
 * durable write, with the queue's entries in the same transaction.
 */
final class OutcomeRecorder {
    private final DeliveryLog log;
    private final QueuedDeliveries queue;
    private final RetrySchedule schedule;
    private final Clock clock;

    OutcomeRecorder(DeliveryLog log, QueuedDeliveries queue, RetrySchedule schedule, Clock clock) {
        this.log = log;
        this.queue = queue;
        this.schedule = schedule;
        this.clock = clock;
    }

    /**
     * Queues the transient failures and records every outcome.
     *
     * @param request the event
     * @param receivedAt when it arrived
     * @param slots what each integration came to, in request order
     * @param priors the earlier records of the deliveries tried again
     * @return the results as the caller sees them: queued ones with their next attempt
     * @throws com.rainforestqa.integrations.host.store.StoreException if the outcome could not be recorded
     */
    List<DeliveryResult> record(EventRequest request, Instant receivedAt, List<DeliverySlot> slots,
                                Map<String, DeliveryLog.Prior> priors) {
        Instant now = clock.instant();
        SettingsCipher cipher = log.store().cipher();
        List<DeliveryResult> results = new ArrayList<>(slots.size());
        List<DeliveryLog.Row> rows = new ArrayList<>(slots.size());
        for (int i = 0; i < slots.size(); i++) {
            DeliverySlot slot = slots.get(i);
            DeliveryResult result = slot.result();
            EventRequest.Target target = request.targets().get(i);
            if (!slot.tried()) {
                results.add(result);
                if (result.status() == DeliveryResult.Status.SKIPPED && slot.prior().isEmpty()) {
                    rows.add(new DeliveryLog.Row(slot.id(), i, target.key(), DeliveryLog.State.SKIPPED, slot.prior(),
                            List.of(), Optional.empty(), Optional.empty()));
                }
                continue;
            }
            DeliveryLog.State state;
            Optional<Instant> next = Optional.empty();
            if (result.status() == DeliveryResult.Status.DELIVERED) {
                state = DeliveryLog.State.DELIVERED;
            } else if (result.status() == DeliveryResult.Status.SKIPPED) {
                state = DeliveryLog.State.SKIPPED;
            } else if (result.type().orElse("").equals(ErrorType.TRANSIENT.code())) {
                next = schedule.next(0, slot.askedWait(), now);
                state = next.isPresent() ? DeliveryLog.State.QUEUED : DeliveryLog.State.EXHAUSTED;
            } else {
                state = DeliveryLog.State.FAILED;
            }
            if (next.isPresent()) {
                result = result.queued(next.get());
            }
            results.add(result);
            // Settings are kept, sealed, while the delivery may still be sent: queued, or failed and retryable by
            // an operator until the retention ends.
            Optional<byte[]> sealed = state == DeliveryLog.State.DELIVERED || state == DeliveryLog.State.SKIPPED
                    ? Optional.empty() : Optional.of(QueuedDeliveries.seal(cipher, slot.id(), target.settings()));
            rows.add(new DeliveryLog.Row(slot.id(), i, target.key(), state, Optional.ofNullable(priors.get(slot.id())),
                    slot.attempts(), next, sealed));
        }
        if (!rows.isEmpty()) {
            boolean keepPayload = rows.stream().anyMatch(row -> row.sealedSettings().isPresent());
            log.record(request.eventId(), request.event().type(), receivedAt,
                    keepPayload ? request.event().payload().toString() : null, request.idGenerated(), rows,
                    connection -> {
                        for (DeliveryLog.Row row : rows) {
                            if (row.state() == DeliveryLog.State.QUEUED) {
                                queue.schedule(List.of(row.id()), row.nextAttemptAt().orElseThrow());
                            }
                        }
                        return null;
                    });
        }
        return results;
    }
}
