package com.rainforestqa.integrations.testkit.harness;

import static java.util.Objects.requireNonNull;

import com.rainforestqa.integrations.host.embed.EmbeddedHost;
import com.rainforestqa.integrations.host.embed.PluginReport;
import com.rainforestqa.integrations.testkit.FakeTarget;
import com.rainforestqa.integrations.testkit.PluginJars;
import com.rainforestqa.integrations.testkit.RecordedRequest;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A plugin under test, run by the real host as an installation runs it: copied into a temporary installation's
 * {@code plugins/} directory, loaded from its jar with its own class loader, its schemas checked as
 * {@code rainforest-integrations check} checks them, and events delivered through the host's validation, dispatcher,
 * retries, address guard and redaction to a {@link FakeTarget} on loopback.
 *
 * <p>The host is configured for tests: loopback targets are allowed, each of the plugin's integrations may reach
 * {@code 127.0.0.1} and {@code localhost} besides its schema's hosts, and {@code plugins.<key>.api-url} points at the
 * fake target. Extra configuration (the server's YAML) is layered on top with {@link Builder#config(String)}.
 *
 * <pre>{@code
 * try (PluginHarness harness = PluginHarness.forClasses(Path.of("target", "classes"))) {
 *     assertThat(harness.problems()).isEmpty();
 *     Delivery delivery = harness.deliver("run_completion",
 *             Map.of("url", harness.target().uri("/hook").toString()), SamplePayloads.complete("run_completion"));
 *     assertThat(delivery.status()).isEqualTo("delivered");
 * }
 * }</pre>
 *
 * <p>Not thread-safe: one test at a time per harness.
 */
public final class PluginHarness implements AutoCloseable {
    private final Path home;
    private final FakeTarget target;
    private final EmbeddedHost host;
    private final PluginReport report;

    private PluginHarness(Path home, FakeTarget target, EmbeddedHost host, PluginReport report) {
        this.home = home;
        this.target = target;
        this.host = host;
        this.report = report;
    }

    /**
     * A harness for a plugin built as a jar, or as a directory holding the plugin jar and its private dependencies.
     *
     * @param plugin the jar or directory, as it would be dropped into {@code plugins/}
     * @return the started harness
     */
    public static PluginHarness forPlugin(Path plugin) {
        return builder().plugin(plugin).start();
    }

    /**
     * A harness for a plugin's compiled classes, packed into a jar first ({@code target/classes} in a unit test, so
     * that tests run before the build's own jar exists). With libraries, the plugin becomes a directory of jars.
     *
     * @param classes the compiled classes and resources
     * @param libraries the plugin's private dependency jars, if any
     * @return the started harness
     */
    public static PluginHarness forClasses(Path classes, Path... libraries) {
        return builder().classes(classes, libraries).start();
    }

    /** @return a builder, for extra configuration */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the keys of the plugin's integrations, ordered */
    public List<String> keys() {
        return report.keys();
    }

    /**
     * The problems {@code rainforest-integrations check} would report: schema events the host never sends, settings
     * that look like credentials but are not marked {@code secret}, and classes the plugin's code uses that its class
     * loader cannot load (a host class, a dependency left out), which fail a delivery with
     * {@code NoClassDefFoundError}. Problems that stop loading (no schema, a schema for another key, a malformed
     * setting) make {@link Builder#start()} fail instead. The harness prints them on standard error as it starts.
     *
     * @return the problems, empty when there are none
     */
    public List<String> problems() {
        return report.problems();
    }

    /**
     * The warnings {@code rainforest-integrations check} would print: copies of what the host provides bundled in
     * the plugin (the JSON APIs, Parsson, the plugin API), which the plugin never uses, and a manifest without
     * {@code Rainforest-Integrations-Api-Version}. The harness prints them on standard error as it starts.
     *
     * @return the warnings, empty when there are none
     */
    public List<String> warnings() {
        return report.warnings();
    }

    /**
     * An integration's schema as the host serves it on {@code GET /integrations/<key>}.
     *
     * @param key the integration's key
     * @return the schema
     */
    public JsonObject schema(String key) {
        return host.schema(key).orElseThrow(() -> unknown(key));
    }

    /**
     * The class loader the host gave the plugin, to check what the plugin sees.
     *
     * @param key one of the plugin's keys
     * @return its class loader
     */
    public ClassLoader classLoader(String key) {
        return host.classLoader(key).orElseThrow(() -> unknown(key));
    }

    /** @return the fake target; its replies are scripted before a delivery, its requests read after */
    public FakeTarget target() {
        return target;
    }

    /**
     * Delivers an event to the plugin's only integration.
     *
     * @param eventType the event type
     * @param settings the user's settings: strings, or {@link JsonValue}s for structured settings
     * @param payload the payload, for example from {@link com.rainforestqa.integrations.testkit.SamplePayloads}
     * @return what became of it, and what the target saw
     */
    public Delivery deliver(String eventType, Map<String, ?> settings, JsonObject payload) {
        if (keys().size() != 1) {
            throw new IllegalStateException("the plugin has integrations " + keys() + "; name the key");
        }
        return deliver(keys().getFirst(), eventType, settings, payload);
    }

    /**
     * Delivers an event to one integration of the plugin.
     *
     * @param key the integration's key
     * @param eventType the event type
     * @param settings the user's settings: strings, or {@link JsonValue}s for structured settings
     * @param payload the payload
     * @return what became of it, and what the target saw
     */
    public Delivery deliver(String key, String eventType, Map<String, ?> settings, JsonObject payload) {
        JsonObjectBuilder settingsJson = Json.createObjectBuilder();
        settings.forEach((name, value) -> settingsJson.add(name, value instanceof JsonValue json ? json
                : Json.createValue(String.valueOf(value))));
        return deliver(Json.createObjectBuilder()
                .add("event_type", eventType)
                .add("integrations", Json.createArrayBuilder()
                        .add(Json.createObjectBuilder().add("key", key).add("settings", settingsJson)))
                .add("payload", payload)
                .build());
    }

    /**
     * Delivers a whole {@code POST /events} body, for requests with an {@code event_id} or {@code oauth_consumer}.
     * It must name exactly one integration.
     *
     * @param request the request body
     * @return what became of it, and what the target saw
     * @throws IllegalArgumentException when the host rejects the request as invalid (unknown event, payload without
     *         a required key): a mistake in the test, not in the plugin
     */
    public Delivery deliver(JsonObject request) {
        int before = target.requests().size();
        // A missing required setting is the plugin's schema at work: the host answers it as POST /events does.
        List<JsonObject> results = host.deliver(request);
        if (results.size() != 1) {
            throw new IllegalArgumentException("the request must name exactly one integration");
        }
        List<RecordedRequest> all = target.requests();
        return new Delivery(results.getFirst(), all.subList(before, all.size()));
    }

    private static IllegalArgumentException unknown(String key) {
        return new IllegalArgumentException("the plugin has no integration \"" + key + "\"");
    }

    /** Stops the fake target, releases the plugin and deletes the temporary installation. */
    @Override
    public void close() {
        try {
            host.close();
        } finally {
            target.close();
            delete(home);
        }
    }

    private static void delete(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + directory, e);
        }
    }

    /** Builds a harness: the plugin, and configuration beyond the test defaults. */
    public static final class Builder {
        private Path plugin;
        private Path classes;
        private List<Path> libraries = List.of();
        private String apiPath = "";
        private final List<String> yaml = new ArrayList<>();

        private Builder() {
        }

        /**
         * The plugin as built: a jar, or a directory of jars.
         *
         * @param plugin the jar or directory
         * @return this builder
         */
        public Builder plugin(Path plugin) {
            this.plugin = requireNonNull(plugin, "plugin is null");
            this.classes = null;
            return this;
        }

        /**
         * The plugin's compiled classes, packed into a jar when the harness starts, with its private dependencies.
         *
         * @param classes the classes directory
         * @param libraries dependency jars
         * @return this builder
         */
        public Builder classes(Path classes, Path... libraries) {
            this.classes = requireNonNull(classes, "classes is null");
            this.libraries = List.of(libraries);
            this.plugin = null;
            return this;
        }

        /**
         * The path on the fake target that {@code plugins.<key>.api-url} names, for a plugin whose API lives under a
         * base path (Pivotal Tracker's {@code /services/v5}), so that tests see the plugin keep it. By default the
         * API URL is the target's root.
         *
         * @param path the path, starting with {@code /}, without a trailing slash
         * @return this builder
         * @throws IllegalArgumentException if the path does not start with {@code /} or ends with one
         */
        public Builder apiPath(String path) {
            requireNonNull(path, "path is null");
            if (!path.startsWith("/") || path.endsWith("/")) {
                throw new IllegalArgumentException("the API path must start with / and not end with one: " + path);
            }
            this.apiPath = path;
            return this;
        }

        /**
         * Server configuration layered over the harness's defaults, as YAML ({@code plugins.<key>.*},
         * {@code integrations.delivery.*}, ...). Later calls win over earlier ones.
         *
         * @param yaml the YAML text
         * @return this builder
         */
        public Builder config(String yaml) {
            this.yaml.add(requireNonNull(yaml, "yaml is null"));
            return this;
        }

        /**
         * Installs the plugin in a temporary installation and starts the host and the fake target.
         *
         * @return the harness
         * @throws IllegalStateException when the plugin cannot be loaded, saying why as the server would
         */
        public PluginHarness start() {
            if (plugin == null && classes == null) {
                throw new IllegalStateException("no plugin: call plugin(...) or classes(...)");
            }
            Path source = plugin != null ? plugin : classes;
            if (!Files.exists(source)) {
                throw new IllegalStateException("the host cannot load the plugin: " + source + " does not exist");
            }
            Path home;
            try {
                home = Files.createTempDirectory("plugin-harness");
                Path plugins = Files.createDirectories(home.resolve("plugins"));
                Path installed = install(plugins);
                return start(home, installed);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot prepare the temporary installation", e);
            }
        }

        private Path install(Path plugins) throws IOException {
            if (classes != null) {
                if (libraries.isEmpty()) {
                    return PluginJars.pack(classes, plugins.resolve("plugin-under-test.jar"));
                }
                Path directory = Files.createDirectories(plugins.resolve("plugin-under-test"));
                PluginJars.pack(classes, directory.resolve("plugin-under-test.jar"));
                for (Path library : libraries) {
                    Files.copy(library, directory.resolve(library.getFileName()));
                }
                return directory;
            }
            Path installed = plugins.resolve(plugin.getFileName());
            if (Files.isDirectory(plugin)) {
                Files.createDirectories(installed);
                try (Stream<Path> jars = Files.list(plugin)) {
                    for (Path jar : jars.filter(Files::isRegularFile).toList()) {
                        Files.copy(jar, installed.resolve(jar.getFileName()));
                    }
                }
            } else {
                Files.copy(plugin, installed);
            }
            return installed;
        }

        private PluginHarness start(Path home, Path installed) {
            PluginReport report = EmbeddedHost.check(installed);
            if (!report.loadable()) {
                delete(home);
                throw new IllegalStateException("the host cannot load the plugin: "
                        + String.join("; ", report.problems()));
            }
            // On standard error, so that an author sees them in the output of mvn verify without asserting on them.
            report.problems().forEach(problem -> System.err.println("rainforest-integrations check: PROBLEM: "
                    + problem));
            report.warnings().forEach(warning -> System.err.println("rainforest-integrations check: WARNING: "
                    + warning));
            FakeTarget target = FakeTarget.start();
            StringBuilder defaults = new StringBuilder("""
                    integrations:
                      signing-key: plugin-harness-unused
                      plugins:
                        strict: true
                      outbound:
                        allow-private-addresses: true
                    plugins:
                    """);
            for (String key : report.keys()) {
                defaults.append("  ").append(key).append(":\n")
                        .append("    allowed-hosts: [127.0.0.1, localhost]\n")
                        .append("    api-url: http://127.0.0.1:").append(target.port()).append(apiPath).append('\n');
            }
            // The first layer wins: the author's YAML, latest first, then the harness's defaults.
            List<String> layers = new ArrayList<>(yaml.reversed());
            layers.add(defaults.toString());
            try {
                return new PluginHarness(home, target, EmbeddedHost.start(home, layers), report);
            } catch (RuntimeException e) {
                target.close();
                delete(home);
                throw e;
            }
        }
    }
}
