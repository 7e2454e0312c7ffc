package com.rainforestqa.integrations.host.config;

import static com.rainforestqa.integrations.host.config.HostConfig.required;
import static java.util.Objects.requireNonNull;

import com.rainforestqa.integrations.host.retry.RetryPolicy;
import com.rainforestqa.integrations.host.retry.RetrySchedule;
import com.rainforestqa.integrations.host.store.StoreSettings;

import io.helidon.config.Config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The host's typed settings, read once from {@link Config} at start.
 *
 * @param signingKey the HMAC key for {@code X-Signature}
 * @param requireSignature whether unsigned events are refused
 * @param pluginsDir where plugins are found
 * @param strictPlugins whether a bad plugin stops the start
 * @param allowPrivateAddresses whether outbound requests may reach private addresses
 * @param httpsOnly whether outbound requests must use https
 * @param corsOrigins origins whose browsers may read the GET endpoints
 * @param maxBodySize the largest accepted POST body, in bytes
 * @param deadline the bound on all delivery attempts of one event
 * @param retries when transient failures are tried again
 * @param idempotencyRetention how long a delivered event id is remembered
 * @param idempotencyMaxEntries how many delivered event ids are remembered at most
 * @param connectTimeout the outbound connect time-out
 * @param readTimeout the outbound read time-out
 * @param maxResponseBody how much of a target's answer is kept
 * @param maxErrorBody how much of a target's answer an error response shows
 * @param inlineDeadline the bound on the attempts made while the caller waits
 * @param retrySchedule when queued deliveries are tried again
 * @param queueThreads how many queued deliveries run at once
 * @param store where deliveries and delivered ids are kept
 * @param adminToken the bearer token of the operators' endpoints; without it the delivery API is off and the other
 *        operators' endpoints answer whoever reaches the operators' socket
 * @param signatureTolerance how far a signed {@code X-Signature-Timestamp} may be from this server's clock
 * @param requireTimestamp whether signed events must carry {@code X-Signature-Timestamp}
 * @param maxIntegrationsPerEvent how many integrations one event may name
 */
public record HostSettings(Optional<String> signingKey, boolean requireSignature, Path pluginsDir,
                           boolean strictPlugins, boolean allowPrivateAddresses, boolean httpsOnly,
                           List<String> corsOrigins,
                           long maxBodySize, Duration deadline, RetryPolicy retries, Duration idempotencyRetention,
                           int idempotencyMaxEntries, Duration connectTimeout,
                           Duration readTimeout,
                           int maxResponseBody, int maxErrorBody, Duration inlineDeadline,
                           RetrySchedule retrySchedule, int queueThreads, StoreSettings store,
                           Optional<String> adminToken, Duration signatureTolerance, boolean requireTimestamp,
                           int maxIntegrationsPerEvent) {

    /** Checks and copies the components. */
    public HostSettings {
        requireNonNull(signingKey, "signingKey is null");
        requireNonNull(pluginsDir, "pluginsDir is null");
        corsOrigins = List.copyOf(corsOrigins);
        requireNonNull(deadline, "deadline is null");
        requireNonNull(retries, "retries is null");
        requireNonNull(idempotencyRetention, "idempotencyRetention is null");
        requireNonNull(connectTimeout, "connectTimeout is null");
        requireNonNull(readTimeout, "readTimeout is null");
        requireNonNull(inlineDeadline, "inlineDeadline is null");
        requireNonNull(retrySchedule, "retrySchedule is null");
        requireNonNull(store, "store is null");
        requireNonNull(adminToken, "adminToken is null");
        requireNonNull(signatureTolerance, "signatureTolerance is null");
    }

    /**
     * Reads the settings.
     *
     * @param config the root configuration
     * @param home the installation directory, which relative plugin paths and the default plugins directory use
     * @return the settings
     * @throws IllegalStateException if a signature is required but no signing key is configured, or a value is invalid
     */
    public static HostSettings from(Config config, Path home) {
        Config integrations = config.get("integrations");
        Optional<String> signingKey = integrations.get("signing-key").asString().filter(key -> !key.isBlank());
        boolean requireSignature = required(integrations.get("require-signature"), Boolean.class);
        if (requireSignature && signingKey.isEmpty()) {
            throw new IllegalStateException("no signing key: set INTEGRATIONS_SIGNING_KEY (or integrations.signing-key)"
                    + ", or set integrations.require-signature: false to accept unsigned events (local trials only)");
        }
        Path pluginsDir = home.resolve(required(integrations.get("plugins.dir"), String.class));
        long maxBodySize = required(integrations.get("max-body-size"), Long.class);
        Duration deadline = required(integrations.get("delivery.deadline"), Duration.class);
        if (maxBodySize <= 0 || deadline.isNegative() || deadline.isZero()) {
            throw new IllegalStateException("integrations.max-body-size and integrations.delivery.deadline must be positive");
        }
        Config delivery = integrations.get("delivery");
        RetryPolicy retries = new RetryPolicy(
                required(delivery.get("max-attempts"), Integer.class),
                required(delivery.get("initial-backoff"), Duration.class),
                required(delivery.get("max-backoff"), Duration.class));
        Duration inlineDeadline = required(delivery.get("inline-deadline"), Duration.class);
        if (inlineDeadline.isNegative() || inlineDeadline.isZero()) {
            throw new IllegalStateException("integrations.delivery.inline-deadline must be positive");
        }
        Duration signatureTolerance = required(integrations.get("signature.tolerance"), Duration.class);
        if (signatureTolerance.isNegative() || signatureTolerance.isZero()) {
            throw new IllegalStateException("integrations.signature.tolerance must be positive");
        }
        int maxIntegrationsPerEvent = required(integrations.get("max-integrations-per-event"), Integer.class);
        if (maxIntegrationsPerEvent < 1) {
            throw new IllegalStateException("integrations.max-integrations-per-event must be at least 1");
        }
        Config outbound = integrations.get("outbound");
        return new HostSettings(
                signingKey,
                requireSignature,
                pluginsDir,
                required(integrations.get("plugins.strict"), Boolean.class),
                required(outbound.get("allow-private-addresses"), Boolean.class),
                required(outbound.get("https-only"), Boolean.class),
                list(integrations.get("cors.allowed-origins")),
                maxBodySize,
                deadline,
                retries,
                required(integrations.get("idempotency.retention"), Duration.class),
                required(integrations.get("idempotency.max-entries"), Integer.class),
                required(outbound.get("connect-timeout"), Duration.class),
                required(outbound.get("read-timeout"), Duration.class),
                required(outbound.get("max-response-body"), Integer.class),
                required(outbound.get("max-error-body"), Integer.class),
                inlineDeadline,
                retrySchedule(delivery),
                required(delivery.get("queue-threads"), Integer.class),
                StoreSettings.from(integrations.get("store"), home),
                integrations.get("admin.token").asString().map(String::strip).filter(token -> !token.isEmpty()),
                signatureTolerance,
                required(integrations.get("require-timestamp"), Boolean.class),
                maxIntegrationsPerEvent);
    }

    private static RetrySchedule retrySchedule(Config delivery) {
        Config schedule = delivery.get("retry-schedule");
        if (!schedule.exists()) {
            throw HostConfig.notSet(schedule);
        }
        List<String> waits = list(schedule);
        if (waits.isEmpty()) {
            throw new IllegalStateException("integrations.delivery.retry-schedule must be a list of at least one wait");
        }
        double jitter = required(delivery.get("retry-jitter"), Double.class);
        Duration maxRetryAfter = required(delivery.get("max-retry-after"), Duration.class);
        try {
            return new RetrySchedule(waits.stream().map(Duration::parse).toList(), jitter, maxRetryAfter);
        } catch (java.time.format.DateTimeParseException | IllegalArgumentException e) {
            throw new IllegalStateException("integrations.delivery.retry-schedule must be a list of ISO-8601 "
                    + "durations such as PT5S, PT5M, PT30M: " + e.getMessage());
        }
    }

    /**
     * A list value given either as a YAML list or as one comma-separated string (as environment variables are).
     *
     * @param node the config node
     * @return the trimmed, non-empty entries
     */
    public static List<String> list(Config node) {
        if (node.isList()) {
            return node.asList(String.class).orElse(List.of()).stream()
                    .map(String::trim).filter(value -> !value.isEmpty()).toList();
        }
        return node.asString().map(value -> Arrays.stream(value.split(","))
                        .map(String::trim).filter(entry -> !entry.isEmpty()).toList())
                .orElse(List.of());
    }

    /** Names every setting but the signing key, which is a secret. */
    @Override
    public String toString() {
        return "HostSettings[signingKey=" + (signingKey.isPresent() ? "(set)" : "(none)")
                + ", requireSignature=" + requireSignature + ", requireTimestamp=" + requireTimestamp
                + ", signatureTolerance=" + signatureTolerance + ", pluginsDir=" + pluginsDir
                + ", strictPlugins=" + strictPlugins + ", allowPrivateAddresses=" + allowPrivateAddresses
                + ", httpsOnly=" + httpsOnly
                + ", corsOrigins=" + corsOrigins + ", maxBodySize=" + maxBodySize
                + ", maxIntegrationsPerEvent=" + maxIntegrationsPerEvent + ", deadline=" + deadline
                + ", inlineDeadline=" + inlineDeadline + ", store=" + store
                + ", adminToken=" + (adminToken.isPresent() ? "(set)" : "(none)") + "]";
    }
}
