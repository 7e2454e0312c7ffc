package com.rainforestqa.integrations.host.delivery;

import com.rainforestqa.integrations.api.ErrorType;
import com.rainforestqa.integrations.api.Event;
import com.rainforestqa.integrations.api.IntegrationException;
import com.rainforestqa.integrations.api.Outcome;
import com.rainforestqa.integrations.api.OutboundHttp;
import com.rainforestqa.integrations.api.OutboundResponse;
import com.rainforestqa.integrations.api.Settings;
import com.rainforestqa.integrations.host.observe.ErrorReporter;
import com.rainforestqa.integrations.host.observe.HostMetrics;
import com.rainforestqa.integrations.host.observe.RedactedThrowable;
import com.rainforestqa.integrations.host.observe.Redactor;
import com.rainforestqa.integrations.host.outbound.OutboundClient;
import com.rainforestqa.integrations.host.plugin.ContextClassLoader;
import com.rainforestqa.integrations.host.plugin.LoadedIntegration;
import com.rainforestqa.integrations.host.retry.RetryPolicy;

import io.helidon.config.Config;

import jakarta.json.bind.Jsonb;

import java.text.MessageFormat;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Calls one integration for one event until it delivers, fails for good, or the deadline leaves no time for another
 * try: transient failures are tried again as the {@link RetryPolicy} says. Every call into the plugin runs with the
 * plugin's class loader as the context class loader, and whatever it throws becomes a result; text that leaves the
 * host has the request's secret settings removed.
 *
 * <p>Thread-safe: one instance serves every delivery, inline and queued.
 */
public final class PluginCall {
    private static final System.Logger LOG = System.getLogger(PluginCall.class.getName());

    private final OutboundClient outbound;
    private final Jsonb jsonb;
    private final PluginConfigs plugins;
    private final RetryPolicy retries;
    private final int maxErrorBody;
    private final Clock clock;
    private final HostMetrics metrics;
    private final ErrorReporter reporter;
    private final Map<String, System.Logger> pluginLoggers = new ConcurrentHashMap<>();

    /**
     * What one delivery came to.
     *
     * @param result the result
     * @param attempts every call of the plugin, in order
     * @param askedWait the wait the target asked for before the next try, after a transient failure
     */
    public record Done(DeliveryResult result, List<Attempt> attempts, Optional<Duration> askedWait) {
        /** Copies the attempts. */
        public Done {
            attempts = List.copyOf(attempts);
        }
    }

    /**
     * The calls.
     *
     * @param outbound the HTTP client plugins use
     * @param jsonb the JSON binding lent to plugins
     * @param pluginsConfig the {@code plugins} config subtree; each plugin sees {@code plugins.<key>}
     * @param retries when to try transient failures again within a deadline
     * @param maxErrorBody how many characters of a target's answer an error result shows
     * @param clock the clock
     * @param metrics counts retries
     * @param reporter hears of plugin bugs and {@code misconfigured_integration} results
     */
    public PluginCall(OutboundClient outbound, Jsonb jsonb, Config pluginsConfig, RetryPolicy retries,
                      int maxErrorBody, Clock clock, HostMetrics metrics, ErrorReporter reporter) {
        this.outbound = outbound;
        this.jsonb = jsonb;
        this.plugins = new PluginConfigs(pluginsConfig);
        this.retries = retries;
        this.maxErrorBody = maxErrorBody;
        this.clock = clock;
        this.metrics = metrics;
        this.reporter = reporter;
    }

    /**
     * Delivers an event to one integration.
     *
     * @param event the event
     * @param loaded the integration
     * @param settings the user's settings for it
     * @param until when to stop trying; an interrupt stops it too
     * @return the result and the attempts
     */
    public Done deliver(Event event, LoadedIntegration loaded, Settings settings, Instant until) {
        String key = loaded.key();
        Set<String> secrets = SecretValues.of(loaded.schema(), settings);
        Redactor redactor = new Redactor(secrets);
        OutboundHttp http = namingSettings(outbound.forDelivery(key, plugins.allowedHosts(loaded), until), settings);
        // The last answer of an attempt, for the attempt's record and for tools that show it (the command line's send).
        AtomicReference<OutboundResponse> lastAnswer = new AtomicReference<>();
        DeliveryContext context = new DeliveryContext(
                request -> {
                    OutboundResponse response = http.send(request);
                    lastAnswer.set(response);
                    return response;
                },
                jsonb,
                plugins.config(key),
                pluginLoggers.computeIfAbsent(key, name -> System.getLogger("com.rainforestqa.integrations.plugin."
                        + name)),
                clock);
        return ContextClassLoader.run(loaded.classLoader(),
                () -> tryUntilDone(event, loaded, settings, until, context, lastAnswer, redactor, secrets));
    }

    /** The attempts of one delivery; runs with the plugin's class loader as the thread's context class loader. */
    private Done tryUntilDone(Event event, LoadedIntegration loaded, Settings settings, Instant until,
                              DeliveryContext context, AtomicReference<OutboundResponse> lastAnswer, Redactor redactor,
                              Set<String> secrets) {
        String key = loaded.key();
        List<Attempt> attempts = new ArrayList<>();
        Instant started = clock.instant();
        try {
            for (int attempt = 1; ; attempt++) {
                started = clock.instant();
                lastAnswer.set(null);
                try {
                    Outcome outcome = loaded.integration().deliver(event, settings, context);
                    OutboundResponse answer = lastAnswer.get();
                    attempts.add(attempt(started, answer == null ? OptionalInt.empty() : OptionalInt.of(answer.status()),
                            Optional.empty(), Optional.empty()));
                    if (outcome == null || outcome.status() == Outcome.Status.DELIVERED) {
                        return new Done(answer == null ? DeliveryResult.delivered(key) : DeliveryResult.delivered(key)
                                .withResponse(answer.status(), redactor.apply(truncate(answer.body()))), attempts,
                                Optional.empty());
                    }
                    return new Done(DeliveryResult.skipped(key, redactor.apply(outcome.detail())), attempts,
                            Optional.empty());
                } catch (IntegrationException e) {
                    DeliveryResult failure = failure(key, e, attempt, redactor);
                    attempts.add(attempt(started, failure.responseCode(), failure.type(),
                            Optional.of(redactor.apply(e.getMessage()))));
                    Optional<Duration> wait = e.type() == ErrorType.TRANSIENT
                            ? retries.delay(attempt, e, clock.instant(), until)
                            : Optional.empty();
                    if (wait.isEmpty() || !sleep(wait.get())) {
                        if (e.type() == ErrorType.MISCONFIGURED_INTEGRATION) {
                            reporter.misconfigured(key, event.type(), pluginVersion(loaded),
                                    failure.message().orElse(""), failure.responseCode(), secrets);
                        }
                        return new Done(failure, attempts, RetryPolicy.askedWait(e, clock.instant()));
                    }
                    metrics.retry(key);
                    LOG.log(System.Logger.Level.DEBUG, "Retrying {0} for a {1} event in {2} ms", key, event.type(),
                            wait.get().toMillis());
                }
            }
        } catch (RuntimeException | LinkageError e) {
            // A plugin bug. Its messages may hold anything, settings included, so the log gets a redacted copy.
            LOG.log(System.Logger.Level.ERROR, MessageFormat.format("Integration {0} threw {1} on an event of type {2}",
                    key, e.getClass().getName(), event.type()), RedactedThrowable.of(e, secrets));
            reporter.pluginFailure(e, key, event.type(), pluginVersion(loaded), secrets);
            DeliveryResult failure = DeliveryResult.failed(key, ErrorType.MISCONFIGURED_INTEGRATION.code(),
                    "the integration failed unexpectedly");
            attempts.add(attempt(started, OptionalInt.empty(), failure.type(), failure.message()));
            return new Done(failure, attempts, Optional.empty());
        }
    }

    private Attempt attempt(Instant started, OptionalInt responseCode, Optional<String> errorType,
                            Optional<String> error) {
        return new Attempt(started, Duration.between(started, clock.instant()), responseCode, errorType, error);
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
                        .filter(name -> settings.optional(name).flatMap(PluginConfigs::hostOf)
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

    private String truncate(String body) {
        return body.length() <= maxErrorBody ? body : body.substring(0, maxErrorBody) + "…";
    }
}
