package com.rainforestqa.integrations.host.delivery;

import com.rainforestqa.integrations.api.ErrorType;
import com.rainforestqa.integrations.api.Event;
import com.rainforestqa.integrations.host.observe.ErrorReporter;
import com.rainforestqa.integrations.host.observe.HostMetrics;
import com.rainforestqa.integrations.host.retry.RetrySchedule;
import com.rainforestqa.integrations.host.store.SettingsCipher;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Delivers a validated event to all its integrations at once, each on its own virtual thread (a single one on the
 * request's thread), within the inline budget: a slow target costs its own result, never another's. A delivery that
 * still fails transiently at the end of the budget is queued for the {@link RetrySchedule}; every outcome is recorded
 * in the {@link DeliveryLog}, durably, before the caller gets the results.
 *
 * <p>A repeated event (same id, same integration configuration) is not delivered again: the in-process
 * {@link IdempotencyStore} makes concurrent copies wait for the first, and the log remembers deliveries across
 * restarts.
 *
 * <p>Each result is counted in the {@link HostMetrics}, and one log line per event names every integration's outcome
 * and time.
 */
public final class Dispatcher implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Dispatcher.class.getName());

    private final PluginCall calls;
    private final DeliveryLog log;
    private final QueuedDeliveries queue;
    private final RetrySchedule schedule;
    private final Duration inlineDeadline;
    private final IdempotencyStore idempotency;
    private final Clock clock;
    private final HostMetrics metrics;
    private final ErrorReporter reporter;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final DeadlineWatch deadlines;

    /**
     * A dispatcher.
     *
     * @param calls makes the attempts
     * @param log records every outcome
     * @param queue takes the deliveries that are to be tried later
     * @param schedule when a queued delivery is tried next
     * @param inlineDeadline the bound on the attempts made while the caller waits
     * @param idempotency makes concurrent copies of an event wait for the first
     * @param clock the clock
     * @param metrics counts results and delivery times
     * @param reporter hears of host bugs
     */
    public Dispatcher(PluginCall calls, DeliveryLog log, QueuedDeliveries queue, RetrySchedule schedule,
                      Duration inlineDeadline, IdempotencyStore idempotency, Clock clock, HostMetrics metrics,
                      ErrorReporter reporter) {
        this.calls = calls;
        this.log = log;
        this.queue = queue;
        this.schedule = schedule;
        this.inlineDeadline = inlineDeadline;
        this.idempotency = idempotency;
        this.clock = clock;
        this.metrics = metrics;
        this.reporter = reporter;
        this.deadlines = new DeadlineWatch(clock);
    }

    /** What one integration came to, and what the log needs of it. */
    private record Slot(DeliveryResult result, Duration took, List<Attempt> attempts, Optional<Duration> askedWait,
                        String id, Optional<DeliveryLog.Prior> prior, boolean tried) {
        static Slot settled(DeliveryResult result, String id) {
            return new Slot(result, Duration.ZERO, List.of(), Optional.empty(), id, Optional.empty(), false);
        }
    }

    /**
     * Delivers an event.
     *
     * @param request the validated request
     * @return one result per target, in request order
     * @throws com.rainforestqa.integrations.host.store.StoreException if the outcome could not be recorded
     */
    public List<DeliveryResult> deliver(EventRequest request) {
        Instant started = clock.instant();
        Instant until = started.plus(inlineDeadline);
        Event event = request.event();
        List<String> ids = new ArrayList<>(request.targets().size());
        for (int i = 0; i < request.targets().size(); i++) {
            // A generated id has no earlier copy to recognise: its deliveries need unique ids, not digests, and ids
            // in the order they are made keep the store's index inserts at its end.
            ids.add(request.idGenerated() ? request.eventId() + "/" + i
                    : deliveryId(request.eventId(), event.type(), request.targets().get(i)));
        }
        List<String> owned = new ArrayList<>();
        // Read here, on the request's thread before any deadline can interrupt it, for the deliveries tried below.
        Map<String, DeliveryLog.Prior> priors = new HashMap<>();
        List<Slot> slots = new ArrayList<>();
        try {
            List<Future<Slot>> futures = new ArrayList<>();
            int inline = 0;
            for (int i = 0; i < ids.size(); i++) {
                Optional<Slot> settled = settled(request, request.targets().get(i), ids.get(i), until, owned, priors);
                if (settled.isPresent()) {
                    futures.add(CompletableFuture.completedFuture(settled.get()));
                } else {
                    inline++;
                    futures.add(null);
                }
            }
            for (int i = 0; i < futures.size(); i++) {
                if (futures.get(i) == null) {
                    EventRequest.Target target = request.targets().get(i);
                    String id = ids.get(i);
                    Callable<Slot> delivery = () -> attempt(request, target, id, until);
                    // One integration runs on the request's own thread: there is nothing to run beside it, so
                    // handing it to another thread and waiting for it with a time-out would only add two thread
                    // switches to the event. The deadline holds the same way, by interrupting the delivery.
                    futures.set(i, inline == 1 ? CompletableFuture.completedFuture(
                            deliverHere(delivery, target, id, started, until)) : executor.submit(delivery));
                }
            }
            for (int i = 0; i < futures.size(); i++) {
                slots.add(await(futures.get(i), request.targets().get(i), ids.get(i), started, until));
            }
            List<DeliveryResult> results = record(request, started, slots, priors);
            count(event, slots, results);
            logLine(request, started, slots, results);
            return results;
        } finally {
            // Released only now, once the outcome is recorded, so a waiting copy finds it in the log.
            for (String id : owned) {
                idempotency.finish(id, slots.stream().anyMatch(slot -> slot.id().equals(id)
                        && slot.result().status() == DeliveryResult.Status.DELIVERED));
            }
        }
    }

    /**
     * The result of a target that needs no attempt now: its integration does not handle the event, or the event
     * reached it before, or is queued for it; empty when it is to be tried, and then the caller owns its claim.
     */
    private Optional<Slot> settled(EventRequest request, EventRequest.Target target, String id, Instant until,
                                   List<String> owned, Map<String, DeliveryLog.Prior> priors) {
        String type = request.event().type();
        if (!target.integration().schema().handles(type)) {
            DeliveryResult skipped = DeliveryResult.skipped(target.key(), target.key() + " does not handle " + type
                    + " events");
            // A repeat finds the skip recorded already; only a first copy records it.
            return Optional.of(new Slot(skipped, Duration.ZERO, List.of(), Optional.empty(), id,
                    request.idGenerated() ? Optional.empty() : log.prior(id), false));
        }
        if (request.idGenerated()) {
            return Optional.empty();
        }
        switch (idempotency.claim(id, until)) {
            case DELIVERED_BEFORE -> {
                return Optional.of(Slot.settled(DeliveryResult.duplicate(target.key()), id));
            }
            case STILL_RUNNING -> {
                return Optional.of(Slot.settled(DeliveryResult.failed(target.key(), ErrorType.TRANSIENT.code(),
                        "an earlier delivery of this event is still running"), id));
            }
            default -> owned.add(id);
        }
        Optional<DeliveryLog.Prior> prior = log.prior(id);
        if (prior.isPresent()) {
            switch (prior.get().state()) {
                case DELIVERED -> {
                    return Optional.of(Slot.settled(DeliveryResult.duplicate(target.key()), id));
                }
                case QUEUED -> {
                    return Optional.of(Slot.settled(DeliveryResult.alreadyQueued(target.key(),
                            prior.get().nextAttemptAt().orElse(clock.instant())), id));
                }
                default -> priors.put(id, prior.get());
            }
        }
        // Failed, exhausted or skipped before, or new: tried now.
        return Optional.empty();
    }

    private Slot attempt(EventRequest request, EventRequest.Target target, String id, Instant until) {
        Instant start = clock.instant();
        PluginCall.Done done = calls.deliver(request.event(), target.integration(), target.settings(), until);
        return new Slot(done.result(), Duration.between(start, clock.instant()), done.attempts(), done.askedWait(),
                id, Optional.empty(), true);
    }

    private Slot deliverHere(Callable<Slot> delivery, EventRequest.Target target, String id, Instant started,
                             Instant until) {
        try (DeadlineWatch.Watch watch = deadlines.watch(until)) {
            Slot slot = delivery.call();
            // A failure the interrupt caused is reported as the deadline; a delivery that made it stays delivered.
            return watch.expired() && slot.result().isFailure() ? pastDeadline(target, id, started, slot.attempts())
                    : slot;
        } catch (Exception e) {
            // PluginCall turns every failure into a result; this is a host bug, so say little and log the rest.
            return unexpected(e, target, id, started);
        }
    }

    private Slot pastDeadline(EventRequest.Target target, String id, Instant started, List<Attempt> attempts) {
        Duration took = Duration.between(started, clock.instant());
        String message = "no answer within the inline deadline of " + inlineDeadline.toSeconds() + " s";
        List<Attempt> all = new ArrayList<>(attempts);
        if (all.isEmpty()) {
            all.add(new Attempt(started, took, java.util.OptionalInt.empty(), Optional.of(ErrorType.TRANSIENT.code()),
                    Optional.of(message)));
        }
        return new Slot(DeliveryResult.failed(target.key(), ErrorType.TRANSIENT.code(), message), took, all,
                Optional.empty(), id, Optional.empty(), true);
    }

    private Slot unexpected(Throwable e, EventRequest.Target target, String id, Instant started) {
        LOG.log(System.Logger.Level.ERROR, "Delivery to " + target.key() + " failed unexpectedly", e);
        reporter.unexpected(e, Map.of("integration", target.key()));
        return new Slot(DeliveryResult.failed(target.key(), ErrorType.MISCONFIGURED_INTEGRATION.code(),
                "the delivery failed unexpectedly"), Duration.between(started, clock.instant()), List.of(),
                Optional.empty(), id, Optional.empty(), true);
    }

    private Slot await(Future<Slot> future, EventRequest.Target target, String id, Instant started, Instant until) {
        try {
            long left = Math.max(0, Duration.between(clock.instant(), until).toMillis());
            return future.get(left, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            return pastDeadline(target, id, started, List.of());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            return pastDeadline(target, id, started, List.of());
        } catch (ExecutionException e) {
            return unexpected(e.getCause(), target, id, started);
        }
    }

    /**
     * Queues the transient failures and records every outcome in one durable write.
     *
     * @return the results as the caller sees them: queued ones with their next attempt
     */
    private List<DeliveryResult> record(EventRequest request, Instant receivedAt, List<Slot> slots,
                                        Map<String, DeliveryLog.Prior> priors) {
        Instant now = clock.instant();
        SettingsCipher cipher = log.store().cipher();
        List<DeliveryResult> results = new ArrayList<>(slots.size());
        List<DeliveryLog.Row> rows = new ArrayList<>(slots.size());
        for (int i = 0; i < slots.size(); i++) {
            Slot slot = slots.get(i);
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

    private void count(Event event, List<Slot> slots, List<DeliveryResult> results) {
        for (int i = 0; i < results.size(); i++) {
            DeliveryResult result = results.get(i);
            metrics.delivery(result.key(), event.type(), result.status().json(), result.type());
            if (slots.get(i).tried()) {
                metrics.deliveryTime(result.key(), slots.get(i).took());
            }
        }
    }

    /**
     * One line per event, for operators: what happened to each integration and how long it took. Results carry no
     * setting values, so neither does this line. Built as one string, without the logger's parameter formatting,
     * because it is written for every event.
     */
    private void logLine(EventRequest request, Instant started, List<Slot> slots, List<DeliveryResult> results) {
        StringBuilder line = new StringBuilder(64).append("Event ").append(request.event().type()).append(" (id ")
                .append(request.eventId()).append("): ");
        for (int i = 0; i < results.size(); i++) {
            DeliveryResult result = results.get(i);
            line.append(i == 0 ? "" : ", ").append(result.key()).append('=').append(result.status().json());
            result.type().ifPresent(type -> line.append('/').append(type));
            line.append(" (").append(slots.get(i).took().toMillis()).append(" ms)");
        }
        LOG.log(System.Logger.Level.INFO, line.append(" in ").append(Duration.between(started, clock.instant())
                .toMillis()).append(" ms").toString());
    }

    /**
     * One id per event (id and type) and integration configuration: the same event to another channel is another
     * delivery. A digest, so that the store never holds a setting's value in it.
     */
    static String deliveryId(String eventId, String eventType, EventRequest.Target target) {
        StringBuilder text = new StringBuilder().append(eventId).append('\0').append(eventType).append('\0')
                .append(target.key());
        target.settings().keys().stream().sorted().forEach(setting -> text.append('\0').append(setting).append('=')
                .append(target.settings().json(setting).orElseThrow()));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        deadlines.close();
    }
}
