package com.rainforestqa.integrations.host.config;

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
        boolean requireSignature = integrations.get("require-signature").asBoolean().orElse(true);
        if (requireSignature && signingKey.isEmpty()) {
            throw new IllegalStateException("no signing key: set INTEGRATIONS_SIGNING_KEY (or integrations.signing-key)"
                    + ", or set integrations.require-signature: false to accept unsigned events (local trials only)");
        }
        Path pluginsDir = integrations.get("plugins.dir").asString().map(Path::of)
                .map(home::resolve)
                .orElse(home.resolve("plugins"));
        long maxBodySize = integrations.get("max-body-size").asLong().orElse(1024 * 1024L);
        Duration deadline = integrations.get("delivery.deadline").as(Duration.class).orElse(Duration.ofSeconds(20));
        if (maxBodySize <= 0 || deadline.isNegative() || deadline.isZero()) {
            throw new IllegalStateException("integrations.max-body-size and integrations.delivery.deadline must be positive");
        }
        Config delivery = integrations.get("delivery");
        RetryPolicy retries = new RetryPolicy(
                delivery.get("max-attempts").asInt().orElse(4),
                delivery.get("initial-backoff").as(Duration.class).orElse(Duration.ofMillis(200)),
                delivery.get("max-backoff").as(Duration.class).orElse(Duration.ofSeconds(5)));
        Duration inlineDeadline = delivery.get("inline-deadline").as(Duration.class).orElse(Duration.ofSeconds(10));
        if (inlineDeadline.isNegative() || inlineDeadline.isZero()) {
            throw new IllegalStateException("integrations.delivery.inline-deadline must be positive");
        }
        Duration signatureTolerance = integrations.get("signature.tolerance").as(Duration.class)
                .orElse(Duration.ofMinutes(5));
        if (signatureTolerance.isNegative() || signatureTolerance.isZero()) {
            throw new IllegalStateException("integrations.signature.tolerance must be positive");
        }
        int maxIntegrationsPerEvent = integrations.get("max-integrations-per-event").asInt().orElse(50);
        if (maxIntegrationsPerEvent < 1) {
            throw new IllegalStateException("integrations.max-integrations-per-event must be at least 1");
        }
        Config outbound = integrations.get("outbound");
        return new HostSettings(
                signingKey,
                requireSignature,
                pluginsDir,
                integrations.get("plugins.strict").asBoolean().orElse(false),
                outbound.get("allow-private-addresses").asBoolean().orElse(false),
                outbound.get("https-only").asBoolean().orElse(false),
                list(integrations.get("cors.allowed-origins")),
                maxBodySize,
                deadline,
                retries,
                integrations.get("idempotency.retention").as(Duration.class).orElse(Duration.ofHours(24)),
                integrations.get("idempotency.max-entries").asInt().orElse(100_000),
                outbound.get("connect-timeout").as(Duration.class).orElse(Duration.ofSeconds(5)),
                outbound.get("read-timeout").as(Duration.class).orElse(Duration.ofSeconds(10)),
                outbound.get("max-response-body").asInt().orElse(64 * 1024),
                outbound.get("max-error-body").asInt().orElse(2048),
                inlineDeadline,
                retrySchedule(delivery),
                delivery.get("queue-threads").asInt().orElse(32),
                StoreSettings.from(integrations.get("store"), home),
                integrations.get("admin.token").asString().map(String::strip).filter(token -> !token.isEmpty()),
                signatureTolerance,
                integrations.get("require-timestamp").asBoolean().orElse(false),
                maxIntegrationsPerEvent);
    }

    private static RetrySchedule retrySchedule(Config delivery) {
        List<String> waits = list(delivery.get("retry-schedule"));
        try {
            return new RetrySchedule(waits.isEmpty() ? RetrySchedule.DEFAULT_WAITS
                    : waits.stream().map(Duration::parse).toList(),
                    delivery.get("retry-jitter").asDouble().orElse(0.2),
                    delivery.get("max-retry-after").as(Duration.class).orElse(Duration.ofHours(1)));
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
