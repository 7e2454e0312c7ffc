package com.rainforestqa.integrations.host.delivery;

import com.rainforestqa.integrations.api.ErrorType;
import com.rainforestqa.integrations.api.Event;
import com.rainforestqa.integrations.api.Settings;
import com.rainforestqa.integrations.host.observe.HostMetrics;
import com.rainforestqa.integrations.host.plugin.LoadedIntegration;
import com.rainforestqa.integrations.host.plugin.PluginDirectory;
import com.rainforestqa.integrations.host.retry.RetrySchedule;
import com.rainforestqa.integrations.host.store.SettingsCipher;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerBuilder;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.ExecutionContext;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;

import jakarta.json.JsonObjectBuilder;
import jakarta.json.spi.JsonProvider;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Executors;

/**
 * The deliveries that wait for another attempt, kept in the store and run by db-scheduler: one task instance per
 * delivery, due at its next attempt. db-scheduler picks due instances from the database (on PostgreSQL with
 * {@code SKIP LOCKED}), runs them here, keeps a heartbeat on those it runs, and hands the instances of a dead
 * instance to a live one once their heartbeats stop for {@code lease}.
 *
 * <p>An attempt records its outcome in the {@link DeliveryLog} before the scheduler reschedules or removes the
 * instance. If the service dies in between, the instance runs again and finds the delivery already settled (or due
 * later), so nothing is sent twice for that reason.
 */
public final class QueuedDeliveries implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(QueuedDeliveries.class.getName());
    private static final JsonProvider JSON = JsonProvider.provider();
    private static final String TASK = "delivery";
    /** How long a claim outlasts its attempt's deadline, for the recording of the outcome. */
    private static final Duration CLAIM_MARGIN = Duration.ofSeconds(10);

    private final DeliveryLog log;
    private final PluginDirectory plugins;
    private final PluginCall calls;
    private final RetrySchedule schedule;
    private final Duration attemptDeadline;
    private final Clock clock;
    private final HostMetrics metrics;
    private final CustomTask<Void> task;
    private final Scheduler scheduler;

    /**
     * The queue; {@link #start()} starts running it.
     *
     * @param log where deliveries are recorded
     * @param plugins the plugins deliveries are made with, as they are at each attempt
     * @param calls makes the attempts
     * @param schedule when failed attempts are tried again
     * @param attemptDeadline the bound on one attempt, its quick retries included
     * @param retention how long delivered ids and finished deliveries are kept: delivered, then failed
     * @param lease how long an instance may go without a heartbeat before its deliveries are taken over
     * @param threads how many deliveries run at once
     * @param clock the clock
     * @param metrics counts attempts
     */
    public QueuedDeliveries(DeliveryLog log, PluginDirectory plugins, PluginCall calls, RetrySchedule schedule,
                            Duration attemptDeadline, Retention retention, Duration lease, int threads, Clock clock,
                            HostMetrics metrics) {
        this.log = log;
        this.plugins = plugins;
        this.calls = calls;
        this.schedule = schedule;
        this.attemptDeadline = attemptDeadline;
        this.clock = clock;
        this.metrics = metrics;
        this.task = Tasks.custom(TASK, Void.class)
                // A failure here is the store's (the attempt itself never throws): try again shortly.
                .onFailure(new FailureHandler.OnFailureRetryLater<>(Duration.ofSeconds(30)))
                .execute(this::run);
        RecurringTask<Void> purge = Tasks.recurring("purge", FixedDelay.of(Duration.ofMinutes(10)))
                .execute((instance, context) -> log.purge(retention.delivered(), retention.failed(), clock.instant()));
        Duration heartbeat = lease.dividedBy(6).isZero() ? Duration.ofSeconds(1) : lease.dividedBy(6);
        SchedulerBuilder builder = Scheduler.create(log.store().dataSource(), task, purge)
                .schedulerName(instanceName())
                .threads(threads)
                .executorService(Executors.newVirtualThreadPerTaskExecutor())
                .pollingInterval(Duration.ofSeconds(1))
                .heartbeatInterval(heartbeat)
                .missedHeartbeatsLimit(6)
                .enableImmediateExecution()
                .shutdownMaxWait(Duration.ofSeconds(5));
        if (log.store().shared()) {
            // Instances that poll at once take different due deliveries (SELECT ... FOR UPDATE SKIP LOCKED) instead
            // of contending for the same rows; HSQLDB has no SKIP LOCKED, and one instance needs none.
            builder.pollUsingLockAndFetch(0.5, 1.0);
        }
        this.scheduler = builder.build();
    }

    /**
     * The name db-scheduler records on the executions this instance runs: the host and the process, since several
     * instances may run on one host. It fits the table's column.
     */
    private static SchedulerName instanceName() {
        String name = new SchedulerName.Hostname().getName() + "-" + ProcessHandle.current().pid();
        return new SchedulerName.Fixed(name.length() <= 50 ? name : name.substring(name.length() - 50));
    }

    /**
     * How long finished deliveries are kept.
     *
     * @param delivered delivered and skipped ones: the idempotency retention
     * @param failed failed and exhausted ones, with their sealed settings
     */
    public record Retention(Duration delivered, Duration failed) {
    }

    /** Starts running due deliveries, those left from an earlier run included. */
    public void start() {
        scheduler.start();
    }

    /**
     * Queues deliveries. Called inside the store's write, so that a delivery is queued exactly when its record is.
     *
     * @param ids the deliveries' ids
     * @param at when they are due
     */
    void schedule(List<String> ids, Instant at) {
        for (String id : ids) {
            scheduler.scheduleIfNotExists(task.instance(id), at);
        }
    }

    /**
     * Seals a delivery's settings for the store.
     *
     * @param cipher the store's cipher
     * @param id the delivery's id, which the sealed value is bound to
     * @param settings the settings
     * @return the sealed settings
     */
    static byte[] seal(SettingsCipher cipher, String id, Settings settings) {
        JsonObjectBuilder json = JSON.createObjectBuilder();
        settings.keys().forEach(key -> json.add(key, settings.json(key).orElseThrow()));
        return cipher.seal(json.build().toString().getBytes(StandardCharsets.UTF_8), id);
    }

    private CompletionHandler<Void> run(TaskInstance<Void> instance, ExecutionContext context) {
        Optional<DeliveryLog.Pending> found = log.pending(instance.getId());
        if (found.isEmpty() || found.get().state() != DeliveryLog.State.QUEUED
                || found.get().sealedSettings().isEmpty()) {
            return new CompletionHandler.OnCompleteRemove<>();
        }
        DeliveryLog.Pending pending = found.get();
        Instant now = clock.instant();
        if (pending.nextAttemptAt().filter(at -> at.isAfter(now.plusSeconds(1))).isPresent()) {
            Instant at = pending.nextAttemptAt().get();
            return (complete, operations) -> operations.reschedule(complete, at);
        }
        // db-scheduler runs an execution again when it takes its process for dead (missed heartbeats), which may
        // be wrong under load; the claim in the delivery's row keeps a second run from sending meanwhile.
        if (!log.claim(pending.id(), now, now.plus(attemptDeadline).plus(CLAIM_MARGIN))) {
            Instant later = now.plus(attemptDeadline).plus(CLAIM_MARGIN);
            return (complete, operations) -> operations.reschedule(complete, later);
        }
        Settings settings = Settings.fromJson(JSON.createReader(new StringReader(new String(
                log.store().cipher().open(pending.sealedSettings().get(), pending.id()), StandardCharsets.UTF_8)))
                .readObject());
        Event event = new Event(pending.eventType(), Optional.of(pending.eventId()),
                JSON.createReader(new StringReader(pending.payload())).readObject());
        PluginCall.Done done;
        try (PluginDirectory.Lease lease = plugins.lease()) {
            Optional<LoadedIntegration> loaded = lease.registry().find(pending.integration());
            done = loaded.isPresent()
                    ? calls.deliver(event, loaded.get(), settings, now.plus(attemptDeadline))
                    : notLoaded(pending.integration(), now);
        }
        Instant after = clock.instant();
        DeliveryResult result = done.result();
        Optional<Instant> next = Optional.empty();
        DeliveryLog.State state = switch (result.status()) {
            case DELIVERED -> DeliveryLog.State.DELIVERED;
            case SKIPPED -> DeliveryLog.State.SKIPPED;
            default -> {
                if (!result.type().orElse("").equals(ErrorType.TRANSIENT.code())) {
                    yield DeliveryLog.State.FAILED;
                }
                next = schedule.next(pending.rounds() + 1, done.askedWait(), after);
                yield next.isPresent() ? DeliveryLog.State.QUEUED : DeliveryLog.State.EXHAUSTED;
            }
        };
        log.update(pending, state, done.attempts(), next, after, connection -> null);
        metrics.queuedAttempt(pending.integration(), state.json());
        LOG.log(System.Logger.Level.INFO, "Queued delivery of " + pending.eventType() + " (id " + pending.eventId()
                + ") to " + pending.integration() + ": " + state.json() + result.type().map(type -> "/" + type)
                .orElse("") + " after attempt " + (pending.attempts() + done.attempts().size())
                + next.map(at -> ", next at " + at).orElse(""));
        if (next.isPresent()) {
            Instant at = next.get();
            return (complete, operations) -> operations.reschedule(complete, at);
        }
        return new CompletionHandler.OnCompleteRemove<>();
    }

    /** A plugin removed while its deliveries wait: they stay queued until it returns or the schedule ends. */
    private PluginCall.Done notLoaded(String key, Instant now) {
        String message = "integration " + key + " is not loaded";
        return new PluginCall.Done(DeliveryResult.failed(key, ErrorType.TRANSIENT.code(), message),
                List.of(new Attempt(now, Duration.ZERO, OptionalInt.empty(), Optional.of(ErrorType.TRANSIENT.code()),
                        Optional.of(message))), Optional.empty());
    }

    /**
     * Queues failed or exhausted deliveries of an event again, due now.
     *
     * @param eventId the event's id
     * @param integration the integration's key
     * @return how many were queued
     */
    public int retry(String eventId, String integration) {
        Instant now = clock.instant();
        return log.requeue(eventId, integration, now, ids -> schedule(ids, now)).size();
    }

    /** Stops running deliveries; those not finished stay queued for the next start. */
    @Override
    public void close() {
        scheduler.stop();
    }

}
