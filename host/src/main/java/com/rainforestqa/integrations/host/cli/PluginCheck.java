package com.rainforestqa.integrations.host.cli;

import com.rainforestqa.integrations.api.ApiVersion;
import com.rainforestqa.integrations.api.Integration;
import com.rainforestqa.integrations.host.delivery.EventCatalog;
import com.rainforestqa.integrations.host.plugin.IntegrationSchema;
import com.rainforestqa.integrations.host.plugin.LoadedIntegration;
import com.rainforestqa.integrations.host.plugin.LoadedPlugin;
import com.rainforestqa.integrations.host.plugin.PluginLoadException;
import com.rainforestqa.integrations.host.plugin.PluginLoader;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;

/**
 * Checks one plugin the way the server loads it, then looks for mistakes the loader tolerates but a user would
 * regret: events the host never sends, settings that look like secrets but are not marked {@code secret}, and classes
 * the plugin's code uses that its class loader cannot load (problems); copies of what the host provides, and a
 * manifest without the API version (warnings).
 *
 * <p>The plugin test kit runs the same checks, so a plugin that passes its tests passes {@code check}.
 */
public final class PluginCheck {
    // Words that make a setting a credential: whoever holds its value can act as the user.
    private static final Set<String> SECRET_WORDS = Set.of("token", "secret", "password", "passphrase",
            "credential", "credentials", "apikey");
    private static final Set<String> SECRET_KEYS = Set.of("url", "webhook", "webhook_url", "api_key", "routing_key",
            "private_key", "access_key", "signing_key", "integration_key");

    /** The manifest attribute naming the API version a plugin was built against. */
    static final String API_VERSION_ATTRIBUTE = "Rainforest-Integrations-Api-Version";

    private PluginCheck() {
    }

    /**
     * The result of checking a plugin.
     *
     * @param source the jar or directory checked
     * @param integrations what the plugin provides; closed by {@link #close()}
     * @param problems what is wrong, for the plugin's author; empty when the plugin is fine
     * @param warnings what works but is probably not what the author meant; the plugin is fine with them
     * @param plugin the loaded plugin, when it loaded
     */
    public record Report(Path source, List<LoadedIntegration> integrations, List<String> problems,
                         List<String> warnings, Optional<LoadedPlugin> plugin) implements AutoCloseable {
        /** Copies the components. */
        public Report {
            integrations = List.copyOf(integrations);
            problems = List.copyOf(problems);
            warnings = List.copyOf(warnings);
        }

        private static Report failed(Path source, String problem) {
            return new Report(source, List.of(), List.of(problem), List.of(), Optional.empty());
        }

        /** @return whether nothing is wrong */
        public boolean ok() {
            return problems.isEmpty();
        }

        /** Releases the plugin's class loader and jars. */
        @Override
        public void close() {
            plugin.ifPresent(LoadedPlugin::closeNow);
        }
    }

    /**
     * Loads a plugin exactly as the server would and checks its schemas.
     *
     * @param source a plugin jar, or a directory holding the plugin jar and its private dependencies
     * @param catalog the events the host sends
     * @return the report; close it to release the plugin
     */
    public static Report check(Path source, EventCatalog catalog) {
        if (!Files.exists(source)) {
            return Report.failed(source, source + " does not exist");
        }
        if (!Files.isDirectory(source) && !source.getFileName().toString().endsWith(".jar")) {
            return Report.failed(source, source.getFileName()
                    + " is neither a .jar nor a directory; the server would ignore it");
        }
        LoadedPlugin loaded;
        try {
            loaded = new PluginLoader().load(source);
        } catch (PluginLoadException problem) {
            return Report.failed(source, problem.getMessage());
        }
        List<String> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        loaded.integrations().forEach(integration -> problems.addAll(schemaProblems(integration.schema(), catalog)));
        if (loaded.manifest().apiVersion().isEmpty()) {
            warnings.add("the plugin jar's manifest has no " + API_VERSION_ATTRIBUTE + " attribute: the host cannot "
                    + "tell whether the plugin was built for its API, and lists it with api_version \"unknown\"; set "
                    + "it to the API version you build against (" + API_VERSION_ATTRIBUTE + ": "
                    + ApiVersion.CURRENT + ")");
        }
        if (!loaded.integrations().isEmpty()) {
            ClassPathCheck.Findings findings = ClassPathCheck.check(source,
                    loaded.integrations().getFirst().classLoader(), PluginCheck.class.getClassLoader());
            problems.addAll(findings.errors());
            warnings.addAll(findings.warnings());
        }
        return new Report(source, loaded.integrations(), problems, warnings, Optional.of(loaded));
    }

    /**
     * What is wrong with a schema that the loader accepted: unknown events, and settings that look secret but are
     * not marked so.
     *
     * @param schema the schema
     * @param catalog the events the host sends
     * @return the problems, empty when none
     */
    public static List<String> schemaProblems(IntegrationSchema schema, EventCatalog catalog) {
        List<String> problems = new ArrayList<>();
        for (String event : schema.events()) {
            if (!catalog.contains(event)) {
                problems.add(schema.key() + ": event \"" + event + "\" is not one the host sends (known: "
                        + String.join(", ", catalog.eventTypes()) + ")");
            }
        }
        for (IntegrationSchema.Setting setting : schema.settings()) {
            if (!setting.secret() && looksSecret(setting.key())) {
                problems.add(schema.key() + ": setting \"" + setting.key() + "\" looks like a credential but is "
                        + "not marked \"secret: true\"; its value would appear in error reports");
            }
        }
        return problems;
    }

    static boolean looksSecret(String settingKey) {
        String key = settingKey.toLowerCase(Locale.ROOT);
        return SECRET_KEYS.contains(key) || key.endsWith("_webhook_url")
                || Arrays.stream(key.split("_")).anyMatch(SECRET_WORDS::contains);
    }

    /** @return the version of the plugin API this host provides, as its jar records it */
    public static String apiVersion() {
        try (InputStream in = Integration.class.getResourceAsStream(
                "/META-INF/maven/com.rainforestqa.integrations/integrations-api/pom.properties")) {
            if (in == null) {
                return "unknown (classes not from a jar)";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
