package com.rainforestqa.integrations.host.observe;

import static java.util.Objects.requireNonNull;

import io.helidon.config.Config;

import io.sentry.Hint;
import io.sentry.SentryClient;
import io.sentry.SentryEvent;
import io.sentry.SentryLevel;
import io.sentry.SentryOptions;
import io.sentry.protocol.Message;

import java.io.IOException;
import java.io.InputStream;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Reports what operators must hear of before users do to Sentry: unexpected exceptions in the host, plugins that
 * throw anything but {@code IntegrationException}, and {@code misconfigured_integration} results (our request to a
 * target was wrong). Users' configuration errors and bad client requests are not reported: they are not ours to fix.
 *
 * <p>Off unless {@code sentry.dsn} is set (the SDK wants an empty DSN for off, never null, so "unset" never reaches
 * it). Each host has its own Sentry client rather than the SDK's global one, so that hosts (and tests) do not share
 * state. Reports never carry setting values: messages are built from keys and types, and a {@link Scrubber} removes
 * the event's secrets, the signing key, authorization values and credential URLs from whatever is left.
 * Thread-safe; sending happens in the background.
 */
public final class ErrorReporter implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ErrorReporter.class.getName());
    private static final long FLUSH_MILLIS = 2000;
    /** One report per kind of unexpected exception per minute: a request that triggers a bug can be sent in a loop. */
    private static final long UNEXPECTED_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);
    private static final int UNEXPECTED_KINDS = 1000;

    private final Map<String, Long> lastUnexpected = new ConcurrentHashMap<>();

    private final Optional<SentryClient> client;

    private ErrorReporter(Optional<SentryClient> client) {
        this.client = client;
    }

    /** @return a reporter that reports nothing */
    public static ErrorReporter off() {
        return new ErrorReporter(Optional.empty());
    }

    /**
     * A reporter configured by the {@code sentry} config subtree: {@code dsn} (off when empty or absent),
     * {@code environment} and {@code release} (default: the service version).
     *
     * @param sentry the {@code sentry} config node
     * @param signingKey the signing key, removed from every report
     * @return the reporter
     * @throws IllegalStateException if the DSN is set but not a valid Sentry DSN
     */
    public static ErrorReporter create(Config sentry, Optional<String> signingKey) {
        String dsn = sentry.get("dsn").asString().map(String::strip).orElse("");
        if (dsn.isEmpty()) {
            return off();
        }
        SentryOptions options = new SentryOptions();
        options.setDsn(dsn);
        sentry.get("environment").asString().filter(value -> !value.isBlank()).ifPresent(options::setEnvironment);
        options.setRelease(sentry.get("release").asString().filter(value -> !value.isBlank())
                .orElse("rainforest-integrations@" + serviceVersion()));
        options.setAttachStacktrace(false);
        options.setShutdownTimeoutMillis(FLUSH_MILLIS);
        options.setFlushTimeoutMillis(FLUSH_MILLIS);
        options.setBeforeSend(new Scrubber(signingKey.map(Set::of).orElse(Set.of())));
        try {
            SentryClient client = new SentryClient(options);
            LOG.log(System.Logger.Level.INFO, "Errors are reported to Sentry (environment {0}, release {1})",
                    Optional.ofNullable(options.getEnvironment()).orElse("production"), options.getRelease());
            return new ErrorReporter(Optional.of(client));
        } catch (RuntimeException e) {
            // The SDK's message quotes the DSN, whose key is a credential: name the setting only.
            throw new IllegalStateException("sentry.dsn is not a valid Sentry DSN (" + e.getClass().getSimpleName()
                    + ")");
        }
    }

    /**
     * The version of this service, from a resource the build fills in.
     *
     * @return the version, or {@code unknown}
     */
    public static String serviceVersion() {
        try (InputStream in = ErrorReporter.class.getResourceAsStream("/integrations-version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("version", "");
            return version.isBlank() || version.startsWith("${") ? "unknown" : version;
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** @return whether reports are sent anywhere */
    public boolean enabled() {
        return client.isPresent();
    }

    /**
     * Reports an exception the host did not expect. Its messages are left out: they may quote a request, and the
     * request's secrets are not known here. The type and stack trace say where to look. One kind (the type, where it
     * was thrown, the tags) is reported at most once a minute.
     *
     * @param error what was thrown
     * @param tags what it happened to, such as the method and path of a request
     */
    public void unexpected(Throwable error, Map<String, String> tags) {
        if (client.isEmpty() || !firstOfItsKindThisMinute(error, tags)) {
            return;
        }
        client.ifPresent(sentry -> {
            SentryEvent event = new SentryEvent(error);
            event.setLevel(SentryLevel.ERROR);
            tags.forEach(event::setTag);
            capture(sentry, event, List.of(), true);
        });
    }

    /**
     * Reports a plugin that threw something other than {@code IntegrationException}: a bug in the plugin.
     *
     * @param error what it threw
     * @param integration the integration's key
     * @param eventType the event it was delivering
     * @param pluginVersion the plugin's version
     * @param secrets the secret setting values of the event, removed from the report
     */
    public void pluginFailure(Throwable error, String integration, String eventType, String pluginVersion,
                              Collection<String> secrets) {
        client.ifPresent(sentry -> {
            SentryEvent event = new SentryEvent(error);
            event.setLevel(SentryLevel.ERROR);
            tag(event, integration, eventType, pluginVersion);
            event.setTag("failure", "plugin_exception");
            capture(sentry, event, secrets, false);
        });
    }

    /**
     * Reports a {@code misconfigured_integration} result: the target found our request malformed.
     *
     * @param integration the integration's key
     * @param eventType the event
     * @param pluginVersion the plugin's version
     * @param detail the result's message, secrets already removed
     * @param responseCode the target's status, when it answered
     * @param secrets the secret setting values of the event, removed again from the report
     */
    public void misconfigured(String integration, String eventType, String pluginVersion, String detail,
                              OptionalInt responseCode, Collection<String> secrets) {
        client.ifPresent(sentry -> {
            SentryEvent event = new SentryEvent();
            event.setLevel(SentryLevel.WARNING);
            Message message = new Message();
            message.setMessage("misconfigured_integration from %s on an event of type %s: %s");
            message.setParams(List.of(integration, eventType, detail));
            message.setFormatted("misconfigured_integration from " + integration + " on an event of type " + eventType
                    + ": " + detail);
            event.setMessage(message);
            event.setFingerprints(List.of("misconfigured_integration", integration, eventType));
            tag(event, integration, eventType, pluginVersion);
            event.setTag("failure", "misconfigured_integration");
            responseCode.ifPresent(code -> event.setExtra("failed_response_code", code));
            capture(sentry, event, secrets, false);
        });
    }

    private boolean firstOfItsKindThisMinute(Throwable error, Map<String, String> tags) {
        StackTraceElement[] trace = error.getStackTrace();
        String kind = error.getClass().getName() + (trace.length > 0 ? "@" + trace[0] : "") + tags;
        long now = System.nanoTime();
        if (lastUnexpected.size() > UNEXPECTED_KINDS) {
            lastUnexpected.clear();
        }
        Long previous = lastUnexpected.get(kind);
        if (previous != null && now - previous < UNEXPECTED_INTERVAL_NANOS) {
            return false;
        }
        lastUnexpected.put(kind, now);
        return true;
    }

    private static void tag(SentryEvent event, String integration, String eventType, String pluginVersion) {
        event.setTag("integration", requireNonNull(integration, "integration is null"));
        event.setTag("event_type", requireNonNull(eventType, "eventType is null"));
        event.setTag("plugin_version", requireNonNull(pluginVersion, "pluginVersion is null"));
    }

    private static void capture(SentryClient sentry, SentryEvent event, Collection<String> secrets,
                                boolean withoutMessages) {
        Hint hint = new Hint();
        hint.set(Scrubber.SECRETS_HINT, List.copyOf(secrets));
        hint.set(Scrubber.WITHOUT_MESSAGES_HINT, withoutMessages);
        try {
            sentry.captureEvent(event, hint);
        } catch (RuntimeException e) {
            // Reporting must never break a delivery or an answer.
            LOG.log(System.Logger.Level.WARNING, "Could not report to Sentry: {0}", e.getClass().getName());
        }
    }

    /** Sends what is queued, waiting a bounded time, and stops the client. */
    @Override
    public void close() {
        client.ifPresent(sentry -> {
            sentry.flush(FLUSH_MILLIS);
            sentry.close();
        });
    }
}
