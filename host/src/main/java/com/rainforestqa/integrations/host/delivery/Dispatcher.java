package com.rainforestqa.integrations.host.delivery;

import com.rainforestqa.integrations.api.ErrorType;
import com.rainforestqa.integrations.api.Event;
import com.rainforestqa.integrations.api.IntegrationException;
import com.rainforestqa.integrations.api.Outcome;
import com.rainforestqa.integrations.api.OutboundHttp;
import com.rainforestqa.integrations.api.OutboundResponse;
import com.rainforestqa.integrations.api.Settings;
import com.rainforestqa.integrations.host.config.HostSettings;
import com.rainforestqa.integrations.host.observe.ErrorReporter;
import com.rainforestqa.integrations.host.observe.HostMetrics;
import com.rainforestqa.integrations.host.outbound.OutboundClient;
import com.rainforestqa.integrations.host.plugin.IntegrationSchema;
import com.rainforestqa.integrations.host.plugin.LoadedIntegration;

import io.helidon.config.Config;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Delivers a validated event to all its integrations at once, each on its own virtual thread (a single one on the
 * request's thread), all bounded by one deadline: a slow target costs its own result, never another's. Transient
 * failures are tried again as the {@link RetryPolicy} says, within that deadline.
 *
 * <p>Every call into a plugin runs with the plugin's class loader as the context class loader. Whatever a plugin
 * throws becomes a result; text that leaves the host has the request's secret settings removed.
 *
 * <p>Each result is counted in the {@link HostMetrics}; a plugin bug or a {@code misconfigured_integration} result is
 * reported to the {@link ErrorReporter}; and one log line per event names every integration's outcome and time.
 */
public final class Dispatcher implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Dispatcher.class.getName());

    private final OutboundClient outbound;
    private final Jsonb jsonb;
    private final Config pluginsConfig;
    private final Duration deadline;
    private final RetryPolicy retries;
    private final IdempotencyStore idempotency;
    private final int maxErrorBody;
    private final Clock clock;
    private final HostMetrics metrics;
    private final ErrorReporter reporter;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final DeadlineWatch deadlines;
    // The configuration does not change while the host runs; reading it per delivery cost a tenth of an event.
    // By schema, not key: a plugin replaced while the host runs may declare other hosts.
    private final Map<IntegrationSchema, Set<String>> allowedHosts = new ConcurrentHashMap<>();
    private final Map<String, Map<String, String>> pluginConfigs = new ConcurrentHashMap<>();
    /** The loggers plugins get, by key: a logger lookup per delivery showed in the benchmark's profile. */
    private final Map<String, System.Logger> pluginLoggers = new ConcurrentHashMap<>();

    /**
     * A dispatcher.
     *
     * @param outbound the HTTP client plugins use
     * @param jsonb the JSON binding lent to plugins
     * @param pluginsConfig the {@code plugins} config subtree; each plugin sees {@code plugins.<key>}
     * @param deadline the bound on one event's deliveries
     * @param retries when to try transient failures again
     * @param idempotency remembers delivered events, so that a repeated {@code event_id} is not delivered twice
     * @param maxErrorBody how many characters of a target's answer an error result shows
     * @param clock the clock
     * @param metrics counts results, retries and delivery times
     * @param reporter hears of plugin bugs and {@code misconfigured_integration} results
     */
    public Dispatcher(OutboundClient outbound, Jsonb jsonb, Config pluginsConfig, Duration deadline,
                      RetryPolicy retries, IdempotencyStore idempotency, int maxErrorBody, Clock clock,
                      HostMetrics metrics, ErrorReporter reporter) {
        this.outbound = outbound;
        this.jsonb = jsonb;
        this.pluginsConfig = pluginsConfig;
        this.deadline = deadline;
        this.retries = retries;
        this.idempotency = idempotency;
        this.maxErrorBody = maxErrorBody;
        this.clock = clock;
        this.metrics = metrics;
        this.reporter = reporter;
        this.deadlines = new DeadlineWatch(clock);
    }

    /**
     * Delivers an event.
     *
     * @param request the validated request
     * @return one result per target, in request order
     */
    public List<DeliveryResult> deliver(EventRequest request) {
        Instant started = clock.instant();
        Instant until = started.plus(deadline);
        Event event = request.event();
        List<Future<Timed>> futures = new ArrayList<>();
        for (EventRequest.Target target : request.targets()) {
            if (!target.integration().schema().handles(event.type())) {
                futures.add(CompletableFuture.completedFuture(new Timed(DeliveryResult.skipped(
                        target.key(), target.key() + " does not handle " + event.type() + " events"),
                        Duration.ZERO)));
            } else {
                Callable<Timed> delivery = () -> {
                    Instant start = clock.instant();
                    DeliveryResult result = event.eventId().isPresent()
                            ? deliverOnce(event.eventId().get(), event, target, until)
                            : deliverOne(event, target, until);
                    return new Timed(result, Duration.between(start, clock.instant()));
                };
                // One integration runs on the request's own thread: handing it to another thread and waiting for
                // it with a time-out cost a sixth of an event's CPU in the benchmark's profile. The deadline holds
                // the same way, by interrupting the delivery.
                futures.add(request.targets().size() == 1 ? CompletableFuture.completedFuture(
                        deliverHere(delivery, target, started, until)) : executor.submit(delivery));
            }
        }
        List<Timed> timed = new ArrayList<>();
        for (int i = 0; i < futures.size(); i++) {
            Timed one = await(futures.get(i), request.targets().get(i), started, until);
            timed.add(one);
            DeliveryResult result = one.result();
            metrics.delivery(result.key(), event.type(), result.status().json(), result.type());
            if (result.status() != DeliveryResult.Status.SKIPPED && result.status() != DeliveryResult.Status.DUPLICATE) {
                metrics.deliveryTime(result.key(), one.took());
            }
        }
        // One line per event, for operators: what happened to each integration and how long it took. Results carry
        // no setting values, so neither does this line. Built as one string: the logger's parameter formatting
        // (MessageFormat) cost more than the rest of the line in the benchmark's profile.
        StringBuilder line = new StringBuilder(64).append("Event ").append(event.type()).append(" (id ")
                .append(event.eventId().orElse("none")).append("): ");
        for (int i = 0; i < timed.size(); i++) {
            DeliveryResult result = timed.get(i).result();
            line.append(i == 0 ? "" : ", ").append(result.key()).append('=').append(result.status().json());
            result.type().ifPresent(type -> line.append('/').append(type));
            line.append(" (").append(timed.get(i).took().toMillis()).append(" ms)");
        }
        LOG.log(System.Logger.Level.INFO, line.append(" in ").append(Duration.between(started, clock.instant())
                .toMillis()).append(" ms").toString());
        return timed.stream().map(Timed::result).toList();
    }

    /** One integration's result and the time it took. */
    private record Timed(DeliveryResult result, Duration took) {
    }

    private Timed deliverHere(Callable<Timed> delivery, EventRequest.Target target, Instant started, Instant until) {
        try (DeadlineWatch.Watch watch = deadlines.watch(until)) {
            Timed timed = delivery.call();
            // A failure the interrupt caused is reported as the deadline; a delivery that made it stays delivered.
            return watch.expired() && timed.result().isFailure() ? pastDeadline(target, started) : timed;
        } catch (Exception e) {
            // deliverOne turns every failure into a result; this is a host bug, so say little and log the rest.
            return unexpected(e, target, started);
        }
    }

    private Timed pastDeadline(EventRequest.Target target, Instant started) {
        return new Timed(DeliveryResult.failed(target.key(), ErrorType.TRANSIENT.code(),
                "no answer within the delivery deadline of " + deadline.toSeconds() + " s"),
                Duration.between(started, clock.instant()));
    }

    private Timed unexpected(Throwable e, EventRequest.Target target, Instant started) {
        LOG.log(System.Logger.Level.ERROR, "Delivery to " + target.key() + " failed unexpectedly", e);
        reporter.unexpected(e, Map.of("integration", target.key()));
        return new Timed(DeliveryResult.failed(target.key(), ErrorType.MISCONFIGURED_INTEGRATION.code(),
                "the delivery failed unexpectedly"), Duration.between(started, clock.instant()));
    }

    private Timed await(Future<Timed> future, EventRequest.Target target, Instant started, Instant until) {
        try {
            long left = Math.max(0, Duration.between(clock.instant(), until).toMillis());
            return future.get(left, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            return pastDeadline(target, started);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            return new Timed(DeliveryResult.failed(target.key(), ErrorType.TRANSIENT.code(),
                    "the delivery was interrupted"), Duration.between(started, clock.instant()));
        } catch (ExecutionException e) {
            // deliverOne turns every failure into a result; this is a host bug, so say little and log the rest.
            return unexpected(e.getCause(), target, started);
        }
    }

    /** Delivers unless this event already reached this integration configuration. */
    private DeliveryResult deliverOnce(String eventId, Event event, EventRequest.Target target, Instant until) {
        String key = idempotencyKey(eventId, event.type(), target);
        switch (idempotency.claim(key, until)) {
            case DELIVERED_BEFORE -> {
                return DeliveryResult.duplicate(target.key());
            }
            case STILL_RUNNING -> {
                return DeliveryResult.failed(target.key(), ErrorType.TRANSIENT.code(),
                        "an earlier delivery of this event is still running");
            }
            default -> {
                DeliveryResult result = null;
                try {
                    result = deliverOne(event, target, until);
                    return result;
                } finally {
                    idempotency.finish(key, result != null && result.status() == DeliveryResult.Status.DELIVERED);
                }
            }
        }
    }

    /**
     * One key per event (id and type) and integration configuration: the same event to another channel is another
     * delivery. A digest, so that the store never holds a setting's value.
     */
    private static String idempotencyKey(String eventId, String eventType, EventRequest.Target target) {
        StringBuilder text = new StringBuilder().append(eventId).append('\0').append(eventType).append('\0')
                .append(target.key());
        target.settings().keys().stream().sorted().forEach(setting -> text.append('\0').append(setting).append('=')
                .append(target.settings().json(setting).orElseThrow()));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private DeliveryResult deliverOne(Event event, EventRequest.Target target, Instant until) {
        LoadedIntegration loaded = target.integration();
        String key = loaded.key();
        Set<String> secrets = secretValues(loaded.schema(), target);
        Redactor redactor = new Redactor(secrets);
        OutboundHttp http = namingSettings(outbound.forDelivery(key, allowedHosts.computeIfAbsent(loaded.schema(),
                ignored -> allowedHosts(loaded)), until), target.settings());
        // The last answer of a delivery that worked, for tools that show it (the command line's send).
        AtomicReference<OutboundResponse> lastAnswer = new AtomicReference<>();
        DeliveryContext context = new DeliveryContext(
                request -> {
                    OutboundResponse response = http.send(request);
                    lastAnswer.set(response);
                    return response;
                },
                jsonb,
                pluginConfigs.computeIfAbsent(key, this::pluginConfig),
                pluginLoggers.computeIfAbsent(key, name -> System.getLogger("com.rainforestqa.integrations.plugin."
                        + name)),
                clock);
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loaded.classLoader());
        try {
            for (int attempt = 1; ; attempt++) {
                try {
                    Outcome outcome = loaded.integration().deliver(event, target.settings(), context);
                    if (outcome == null || outcome.status() == Outcome.Status.DELIVERED) {
                        OutboundResponse answer = lastAnswer.get();
                        return answer == null ? DeliveryResult.delivered(key) : DeliveryResult.delivered(key)
                                .withResponse(answer.status(), redactor.apply(truncate(answer.body())));
                    }
                    return DeliveryResult.skipped(key, redactor.apply(outcome.detail()));
                } catch (IntegrationException e) {
                    Optional<Duration> wait = e.type() == ErrorType.TRANSIENT
                            ? retries.delay(attempt, e, clock.instant(), until)
                            : Optional.empty();
                    if (wait.isEmpty() || !sleep(wait.get())) {
                        DeliveryResult result = failure(key, e, attempt, redactor);
                        if (e.type() == ErrorType.MISCONFIGURED_INTEGRATION) {
                            reporter.misconfigured(key, event.type(), pluginVersion(loaded),
                                    result.message().orElse(""), result.responseCode(), secrets);
                        }
                        return result;
                    }
                    metrics.retry(key);
                    LOG.log(System.Logger.Level.DEBUG, "Retrying {0} for a {1} event in {2} ms", key, event.type(),
                            wait.get().toMillis());
                }
            }
        } catch (RuntimeException | LinkageError e) {
            // A plugin bug. Its message may hold anything, settings included, so only the type is logged.
            LOG.log(System.Logger.Level.ERROR, "Integration {0} threw {1} on a {2} event", key,
                    e.getClass().getName(), event.type());
            reporter.pluginFailure(e, key, event.type(), pluginVersion(loaded), secrets);
            return DeliveryResult.failed(key, ErrorType.MISCONFIGURED_INTEGRATION.code(),
                    "the integration failed unexpectedly");
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /**
     * The outbound client refuses URLs (hosts the plugin may not reach, non-public addresses, plain http) without
     * contacting anyone; such a refusal names the setting the URL came from, so the user knows what to fix.
     */
    private static OutboundHttp namingSettings(OutboundHttp http, Settings settings) {
        return request -> {
            try {
                return http.send(request);
            } catch (IntegrationException e) {
                if (e.type() != ErrorType.USER_CONFIGURATION_ERROR || e.response().isPresent()) {
                    throw e;
                }
                Optional<String> setting = settings.keys().stream()
                        .filter(name -> settings.optional(name).flatMap(Dispatcher::hostOf)
                                .filter(host -> host.equalsIgnoreCase(request.uri().getHost())).isPresent())
                        .findFirst();
                if (setting.isEmpty()) {
                    throw e;
                }
                throw new IntegrationException(ErrorType.USER_CONFIGURATION_ERROR,
                        "setting \"" + setting.get() + "\": " + e.getMessage(), e);
            }
        };
    }

    /** The plugin's version, from its jar's manifest ({@code Implementation-Version}). */
    private static String pluginVersion(LoadedIntegration loaded) {
        Package pkg = loaded.integration().getClass().getPackage();
        return Optional.ofNullable(pkg == null ? null : pkg.getImplementationVersion())
                .filter(version -> !version.isBlank()).orElse("unknown");
    }

    private DeliveryResult failure(String key, IntegrationException e, int attempts, Redactor redactor) {
        String message = redactor.apply(e.getMessage()) + (attempts > 1 ? " (after " + attempts + " attempts)" : "");
        DeliveryResult result = DeliveryResult.failed(key, e.type().code(), message);
        return e.response()
                .map(response -> result.withResponse(response.status(), redactor.apply(truncate(response.body()))))
                .orElse(result);
    }

    private static boolean sleep(Duration wait) {
        try {
            Thread.sleep(wait);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * The hosts a plugin may reach: its schema's list, the operator's {@code plugins.<key>.allowed-hosts}, and the
     * host of {@code plugins.<key>.api-url}, since an operator who points a plugin at a server means it to reach it.
     * A schema without a list leaves the plugin unrestricted.
     */
    private Set<String> allowedHosts(LoadedIntegration loaded) {
        if (loaded.schema().allowedHosts().isEmpty()) {
            return Set.of();
        }
        Config plugin = pluginsConfig.get(loaded.key());
        Set<String> hosts = new LinkedHashSet<>(loaded.schema().allowedHosts());
        hosts.addAll(HostSettings.list(plugin.get("allowed-hosts")));
        plugin.get("api-url").asString().map(Dispatcher::hostOf).ifPresent(host -> host.ifPresent(hosts::add));
        return hosts;
    }

    private static Optional<String> hostOf(String url) {
        try {
            return Optional.ofNullable(URI.create(url.strip()).getHost());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private Map<String, String> pluginConfig(String key) {
        Config node = pluginsConfig.get(key);
        Map<String, String> values = new HashMap<>();
        node.traverse().filter(Config::isLeaf).forEach(leaf ->
                leaf.asString().ifPresent(value -> values.put(leaf.key().toString().substring(
                        node.key().toString().length() + 1), value)));
        return Map.copyOf(values);
    }

    private static Set<String> secretValues(IntegrationSchema schema, EventRequest.Target target) {
        Set<String> secrets = new LinkedHashSet<>();
        for (IntegrationSchema.Setting setting : schema.settings()) {
            if (setting.secret()) {
                target.settings().json(setting.key()).ifPresent(value -> collectStrings(value, secrets));
            }
        }
        target.settings().json(RequestParser.OAUTH_CONSUMER).ifPresent(value -> collectStrings(value, secrets));
        return secrets;
    }

    private static void collectStrings(JsonValue value, Set<String> strings) {
        switch (value) {
            case JsonString string -> strings.add(string.getString());
            case JsonNumber number -> strings.add(number.toString());
            case JsonObject object -> object.values().forEach(nested -> collectStrings(nested, strings));
            case JsonArray array -> array.forEach(nested -> collectStrings(nested, strings));
            default -> {
            }
        }
    }

    private String truncate(String body) {
        return body.length() <= maxErrorBody ? body : body.substring(0, maxErrorBody) + "…";
    }

    @Override
    public void close() {
        executor.shutdownNow();
        deadlines.close();
    }
}
