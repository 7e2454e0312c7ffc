package com.rainforestqa.integrations.host.config;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.config.spi.ConfigSource;
import io.helidon.webserver.ListenerConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Builds the host's configuration from its layers, later ones winning: defaults in the host jar,
 * {@code <home>/conf/application.yaml}, the file named by {@code INTEGRATIONS_CONFIG_FILE}, then the environment.
 *
 * <p>Environment variables use Helidon's mapping ({@code SERVER_PORT} is {@code server.port}, {@code _dash_} is a
 * dash). Three names that Rainforest's deployments already set are also read as they are.
 */
public final class HostConfig {
    /** The classpath resource that holds the defaults, which the settings read from it instead of keeping their own. */
    static final String DEFAULTS = "integrations-defaults.yaml";

    /** Env var naming an extra YAML file. */
    public static final String CONFIG_FILE_ENV = "INTEGRATIONS_CONFIG_FILE";

    /**
     * The name of the server socket that serves the operators' endpoints apart from the public API, on a port and
     * address of its own (see {@link #adminSocket}).
     */
    public static final String ADMIN_SOCKET = "admin";

    private static final Map<String, String> LEGACY_ENV = Map.of(
            "INTEGRATIONS_SIGNING_KEY", "integrations.signing-key",
            "INTEGRATION_SENTRY_DSN", "sentry.dsn",
            "ALLOWED_ORIGINS", "integrations.cors.allowed-origins");

    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z0-9_]+");

    private static final int ADMIN_PORT = 8081;
    private static final String ADMIN_HOST = "127.0.0.1";

    private HostConfig() {
    }

    /**
     * Loads the configuration.
     *
     * @param environment the process environment
     * @param home the installation directory, when the host runs from one
     * @return the layered configuration
     * @throws IllegalStateException if {@code INTEGRATIONS_CONFIG_FILE} names a file that does not exist
     */
    public static Config load(Map<String, String> environment, Optional<Path> home) {
        List<Supplier<? extends ConfigSource>> sources = new ArrayList<>();
        // Helidon gives earlier sources precedence, so the list runs from the environment down to the defaults.
        Map<String, String> legacy = new HashMap<>();
        LEGACY_ENV.forEach((env, key) -> {
            String value = environment.get(env);
            if (value != null && !value.isEmpty()) {
                legacy.put(key, value);
            }
        });
        sources.add(ConfigSources.create(legacy, "legacy environment variables"));
        sources.add(ConfigSources.create(mapped(environment), "environment variables"));
        String extra = environment.get(CONFIG_FILE_ENV);
        if (extra != null && !extra.isBlank()) {
            Path file = Path.of(extra);
            if (!Files.isRegularFile(file)) {
                throw new IllegalStateException(CONFIG_FILE_ENV + " names " + file + ", which is not a readable file");
            }
            sources.add(ConfigSources.file(file));
        }
        home.map(dir -> dir.resolve("conf").resolve("application.yaml"))
                .ifPresent(file -> sources.add(ConfigSources.file(file).optional(true)));
        sources.add(ConfigSources.classpath(DEFAULTS));
        return Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .sources(sources)
                .build();
    }

    /**
     * Helidon's mapping of environment variables to keys: lower case, {@code _dash_} becomes a dash and {@code _} a
     * dot, so {@code SERVER_PORT} sets {@code server.port} and {@code INTEGRATIONS_MAX_dash_BODY_dash_SIZE} sets
     * {@code integrations.max-body-size}.
     *
     * <p>The mapping is written here rather than taken from {@code ConfigSources.environmentVariables()}, whose
     * mapping covers this one, because Helidon's source reads {@code System.getenv()} itself and takes no environment:
     * the one {@link #load} is given would never reach it. The command line relies on that environment, adding
     * {@code INTEGRATIONS_STORE_TYPE=memory} so that {@code send} leaves the installation's store alone, and so do the
     * tests of this mapping. Helidon's source also reads names the contract does not give ({@code MAX_BODY_SIZE} for
     * {@code max-body-size}, a key's own spelling); and its mapping that takes a map,
     * {@code EnvironmentVariables.expand}, is deprecated for removal.
     */
    static Map<String, String> mapped(Map<String, String> environment) {
        Map<String, String> keys = new HashMap<>();
        environment.forEach((name, value) -> {
            if (ENV_NAME.matcher(name).matches()) {
                String key = name.toLowerCase(Locale.ROOT).replace("_dash_", "-").replace('_', '.');
                // Names such as "_" (set by shells) or "A__B" would make empty key segments, which Helidon refuses.
                if (!key.startsWith(".") && !key.endsWith(".") && !key.contains("..")) {
                    keys.put(key, value);
                }
            }
        });
        return keys;
    }

    /**
     * The operators' socket, {@code admin} under {@code server.sockets}: port 8081 on 127.0.0.1, the loopback address,
     * unless the configuration says otherwise. Helidon reads the socket as a list entry
     * ({@code sockets: [{name: admin, port: 8081}]}) or as a member ({@code sockets: {admin: {port: 8081}}}, which the
     * environment sets with {@code SERVER_SOCKETS_ADMIN_PORT}) and binds it to 0.0.0.0 when no host is given. The
     * defaults live here rather than in the defaults file because Helidon cannot merge a list from one source with
     * members from another: a default written in either form would make the other one fail or be ignored.
     *
     * @param server the {@code server} node of the configuration
     * @return the socket's settings, every listener key of its node applied over these defaults
     */
    public static ListenerConfig adminSocket(Config server) {
        ListenerConfig.Builder socket = ListenerConfig.builder()
                .port(ADMIN_PORT)
                .host(ADMIN_HOST);
        server.get("sockets").asNodeList().orElse(List.of()).stream()
                .filter(node -> node.get("name").asString().orElse(node.name()).equals(ADMIN_SOCKET))
                // Of two entries named admin, the last wins, as in Helidon's own reading.
                .reduce((first, second) -> second)
                .ifPresent(socket::config);
        // Named last: the node's own name is its index when it is a list entry.
        return socket.name(ADMIN_SOCKET).build();
    }

    /**
     * A value the defaults file sets. The file is the one place for defaults, so a missing value means it lacks a key
     * the host reads, and the start stops with the key's name rather than run on a value written nowhere.
     *
     * @param node the config node
     * @param type the value's type
     * @param <T> the value's type
     * @return the value
     * @throws IllegalStateException if no source sets the value
     */
    public static <T> T required(Config node, Class<T> type) {
        return node.as(type).asOptional().orElseThrow(() -> notSet(node));
    }

    static IllegalStateException notSet(Config node) {
        return new IllegalStateException(node.key() + " is not set: the defaults file " + DEFAULTS + " should set it");
    }

    /**
     * Configuration from the defaults and one YAML text, for tests and tools.
     *
     * @param yaml overrides of the defaults
     * @return the configuration
     */
    public static Config fromYaml(String yaml) {
        return Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .sources(List.of(
                        () -> ConfigSources.create(yaml, MediaTypes.APPLICATION_YAML),
                        ConfigSources.classpath(DEFAULTS)))
                .build();
    }
}
