package com.rainforestqa.integrations.host.delivery;

import com.rainforestqa.integrations.api.ErrorType;
import com.rainforestqa.integrations.host.observe.ErrorReporter;
import com.rainforestqa.integrations.host.observe.HostMetrics;
import com.rainforestqa.integrations.host.retry.RetrySchedule;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
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
 * <p>A repeated event (same id, same integration configuration) is not delivered again: the
 * {@link IdempotencyStore} makes concurrent copies wait for the first (across instances when they share a store),
 * and the log remembers deliveries across restarts.
 *
 * <p>The {@link OutcomeRecorder} decides and records what each delivery is left as; the {@link OutcomeReport} counts
 * the results in the {@link HostMetrics} and writes one log line per event.
 */
public final class Dispatcher implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Dispatcher.class.getName());

    private final PluginCall calls;
    private final DeliveryLog log;
    private final OutcomeRecorder outcomes;
    private final OutcomeReport report;
    private final Duration inlineDeadline;
    private final IdempotencyStore idempotency;
    private final Clock clock;
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
        this.outcomes = new OutcomeRecorder(log, queue, schedule, clock);
        this.report = new OutcomeReport(metrics);
        this.inlineDeadline = inlineDeadline;
        this.idempotency = idempotency;
        this.clock = clock;
        this.reporter = reporter;
        this.deadlines = new DeadlineWatch(clock);
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
        List<String> ids = DeliveryIds.of(request);
        List<String> owned = new ArrayList<>();
        // Read here, on the request's thread before any deadline can interrupt it, for the deliveries tried below.
        Map<String, DeliveryLog.Prior> priors = new HashMap<>();
        List<DeliverySlot> slots = new ArrayList<>();
        try {
            List<Future<DeliverySlot>> futures = new ArrayList<>();
            int inline = 0;
            for (int i = 0; i < ids.size(); i++) {
                Optional<DeliverySlot> settled = settled(request, request.targets().get(i), ids.get(i), until, owned,
                        priors);
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
                    Callable<DeliverySlot> delivery = () -> attempt(request, target, id, until);
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
            List<DeliveryResult> results = outcomes.record(request, started, slots, priors);
            report.report(request, slots, results, Duration.between(started, clock.instant()));
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
    private Optional<DeliverySlot> settled(EventRequest request, EventRequest.Target target, String id, Instant until,
                                   List<String> owned, Map<String, DeliveryLog.Prior> priors) {
        String type = request.event().type();
        if (!target.integration().schema().handles(type)) {
            DeliveryResult skipped = DeliveryResult.skipped(target.key(), target.key() + " does not handle " + type
                    + " events");
            // A repeat finds the skip recorded already; only a first copy records it.
            return Optional.of(new DeliverySlot(skipped, Duration.ZERO, List.of(), Optional.empty(), id,
                    request.idGenerated() ? Optional.empty() : log.prior(id), false));
        }
        if (request.idGenerated()) {
            return Optional.empty();
        }
        switch (idempotency.claim(id, until)) {
            case DELIVERED_BEFORE -> {
                return Optional.of(DeliverySlot.settled(DeliveryResult.duplicate(target.key()), id));
            }
            case STILL_RUNNING -> {
                return Optional.of(DeliverySlot.settled(DeliveryResult.failed(target.key(), ErrorType.TRANSIENT.code(),
                        "an earlier delivery of this event is still running"), id));
            }
            default -> owned.add(id);
        }
        Optional<DeliveryLog.Prior> prior = log.prior(id);
        if (prior.isPresent()) {
            switch (prior.get().state()) {
                case DELIVERED -> {
                    return Optional.of(DeliverySlot.settled(DeliveryResult.duplicate(target.key()), id));
                }
                case QUEUED -> {
                    return Optional.of(DeliverySlot.settled(DeliveryResult.alreadyQueued(target.key(),
                            prior.get().nextAttemptAt().orElse(clock.instant())), id));
                }
                default -> priors.put(id, prior.get());
            }
        }
        // Failed, exhausted or skipped before, or new: tried now.
        return Optional.empty();
    }

    private DeliverySlot attempt(EventRequest request, EventRequest.Target target, String id, Instant until) {
        Instant start = clock.instant();
        PluginCall.Done done = calls.deliver(request.event(), target.integration(), target.settings(), until);
        return new DeliverySlot(done.result(), Duration.between(start, clock.instant()), done.attempts(),
                done.askedWait(), id, Optional.empty(), true);
    }

    private DeliverySlot deliverHere(Callable<DeliverySlot> delivery, EventRequest.Target target, String id,
                                     Instant started, Instant until) {
        try (DeadlineWatch.Watch watch = deadlines.watch(until)) {
            DeliverySlot slot = delivery.call();
            // A failure the interrupt caused is reported as the deadline; a delivery that made it stays delivered.
            return watch.expired() && slot.result().isFailure() ? pastDeadline(target, id, started, slot.attempts())
                    : slot;
        } catch (Exception e) {
            // PluginCall turns every failure into a result; this is a host bug, so say little and log the rest.
            return unexpected(e, target, id, started);
        }
    }

    private DeliverySlot pastDeadline(EventRequest.Target target, String id, Instant started, List<Attempt> attempts) {
        Duration took = Duration.between(started, clock.instant());
        String message = "no answer within the inline deadline of " + inlineDeadline.toSeconds() + " s";
        List<Attempt> all = new ArrayList<>(attempts);
        if (all.isEmpty()) {
            all.add(new Attempt(started, took, java.util.OptionalInt.empty(), Optional.of(ErrorType.TRANSIENT.code()),
                    Optional.of(message)));
        }
        return new DeliverySlot(DeliveryResult.failed(target.key(), ErrorType.TRANSIENT.code(), message), took, all,
                Optional.empty(), id, Optional.empty(), true);
    }

    private DeliverySlot unexpected(Throwable e, EventRequest.Target target, String id, Instant started) {
        LOG.log(System.Logger.Level.ERROR, "Delivery to " + target.key() + " failed unexpectedly", e);
        reporter.unexpected(e, Map.of("integration", target.key()));
        return new DeliverySlot(DeliveryResult.failed(target.key(), ErrorType.MISCONFIGURED_INTEGRATION.code(),
                "the delivery failed unexpectedly"), Duration.between(started, clock.instant()), List.of(),
                Optional.empty(), id, Optional.empty(), true);
    }

    private DeliverySlot await(Future<DeliverySlot> future, EventRequest.Target target, String id, Instant started,
                               Instant until) {
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

    @Override
    public void close() {
        executor.shutdownNow();
        deadlines.close();
    }
}
