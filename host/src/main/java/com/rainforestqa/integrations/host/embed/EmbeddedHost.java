package com.rainforestqa.integrations.host.embed;

import static java.util.Objects.requireNonNull;

import com.rainforestqa.integrations.host.IntegrationsHost;
import com.rainforestqa.integrations.host.cli.PluginCheck;
import com.rainforestqa.integrations.host.delivery.DeliveryResult;
import com.rainforestqa.integrations.host.delivery.EventCatalog;
import com.rainforestqa.integrations.host.delivery.RejectedRequest;
import com.rainforestqa.integrations.host.plugin.LoadedIntegration;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.config.spi.ConfigSource;

import jakarta.json.JsonObject;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A host running in this process on an installation directory, with the configuration it is given and nothing from
 * the environment: the server's plugin loading, validation, dispatch, retries, address guard and redaction, without
 * its HTTP server. Made for tests of plugins (the test harness); a server uses {@code Main}.
 *
 * <p>Thread-safe as the host is: deliveries may run concurrently. Close it to release the plugins.
 */
public final class EmbeddedHost implements AutoCloseable {
    private final IntegrationsHost host;

    private EmbeddedHost(IntegrationsHost host) {
        this.host = host;
    }

    /**
     * Checks a plugin exactly as {@code rainforest-integrations check} does: loads it as the server would, then
     * checks its schemas and class files. The plugin is released before this returns.
     *
     * @param plugin a plugin jar, or a directory holding the plugin jar and its private dependencies
     * @return what the check found
     */
    public static PluginReport check(Path plugin) {
        requireNonNull(plugin, "plugin is null");
        try (PluginCheck.Report report = PluginCheck.check(plugin, EventCatalog.load())) {
            return new PluginReport(report.integrations().stream().map(LoadedIntegration::key).sorted().toList(),
                    report.problems(), report.warnings());
        }
    }

    /**
     * Starts a host on an installation directory: plugins from its {@code plugins/}, data under it. The
     * configuration is the YAML layers given, the first winning over later ones, over the installation's defaults;
     * environment variables and system properties are not read.
     *
     * @param home the installation directory
     * @param yamlLayers server configuration as YAML texts, the first winning
     * @return the started host
     * @throws IllegalStateException when the configuration is unusable, as the server would stop with it
     * @throws RuntimeException when a plugin cannot be loaded and {@code integrations.plugins.strict} is true
     */
    public static EmbeddedHost start(Path home, List<String> yamlLayers) {
        requireNonNull(home, "home is null");
        List<Supplier<? extends ConfigSource>> sources = new ArrayList<>();
        for (String yaml : yamlLayers) {
            sources.add(ConfigSources.create(yaml, MediaTypes.APPLICATION_YAML));
        }
        sources.add(ConfigSources.classpath("integrations-defaults.yaml"));
        Config config = Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .sources(sources)
                .build();
        return new EmbeddedHost(IntegrationsHost.create(config, home));
    }

    /**
     * Delivers a {@code POST /events} body and waits for the results, as the server does for a request that waits.
     * A request refused because a setting the schema requires is missing answers with that integration's failure,
     * as {@code POST /events} shows it.
     *
     * @param request the request body
     * @return one result per integration the request names, each as the delivery API shows it
     * @throws IllegalArgumentException when the host rejects the request as a whole (an unknown event type, a
     *         payload without a required key), with the rejection's type and message
     */
    public List<JsonObject> deliver(JsonObject request) {
        try {
            return host.deliver(request).stream().map(DeliveryResult::toJson).toList();
        } catch (RejectedRequest rejected) {
            List<JsonObject> failures = rejected.results().stream().filter(DeliveryResult::isFailure)
                    .map(DeliveryResult::toJson).toList();
            if (failures.isEmpty()) {
                throw new IllegalArgumentException(rejected.type() + ": " + rejected.getMessage(), rejected);
            }
            return failures;
        }
    }

    /**
     * An integration's schema as {@code GET /integrations/<key>} serves it.
     *
     * @param key the integration's key
     * @return the schema, or empty when no loaded plugin provides the key
     */
    public Optional<JsonObject> schema(String key) {
        return host.plugins().find(key).map(loaded -> loaded.schema().json());
    }

    /**
     * The class loader the host gave the plugin providing an integration, to check what the plugin sees.
     *
     * @param key the integration's key
     * @return the class loader, or empty when no loaded plugin provides the key
     */
    public Optional<ClassLoader> classLoader(String key) {
        return host.plugins().find(key).map(LoadedIntegration::classLoader);
    }

    /** Stops the host's work and releases the plugins. */
    @Override
    public void close() {
        host.close();
    }
}
