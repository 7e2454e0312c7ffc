package com.rainforestqa.integrations.host.cli;

import com.rainforestqa.integrations.host.IntegrationsHost;
import com.rainforestqa.integrations.host.config.HostConfig;
import com.rainforestqa.integrations.host.config.HostSettings;
import com.rainforestqa.integrations.host.delivery.DeliveryLog;
import com.rainforestqa.integrations.host.delivery.DeliveryResult;
import com.rainforestqa.integrations.host.delivery.EventCatalog;
import com.rainforestqa.integrations.host.delivery.RejectedRequest;
import com.rainforestqa.integrations.host.plugin.IntegrationSchema;
import com.rainforestqa.integrations.host.plugin.LoadedIntegration;
import com.rainforestqa.integrations.host.plugin.PluginFailure;
import com.rainforestqa.integrations.host.plugin.PluginLoadException;
import com.rainforestqa.integrations.host.plugin.PluginLoader;
import com.rainforestqa.integrations.host.plugin.PluginRegistry;
import com.rainforestqa.integrations.host.store.Store;

import io.helidon.config.Config;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The subcommands of {@code bin/rainforest-integrations} other than {@code serve}. Each reads the same configuration
 * layers as the server and loads plugins with the same loader; output goes to the given streams and the exit status
 * is returned, so tests run them in-process.
 */
public final class Cli {
    /** Everything went as asked. */
    public static final int OK = 0;
    /** The plugin has problems, or the event was not delivered. */
    public static final int FAILED = 1;
    /** The command line itself is wrong. */
    public static final int USAGE = 2;

    /** The text of {@code --help}. */
    public static final String HELP = """
            Usage: rainforest-integrations [COMMAND] [OPTIONS]

            Commands:
              serve             Start the server (the default when no command is given).
              check PATH        Load a plugin jar, or a directory of jars, exactly as the server would, and report
                                its integrations, their schemas, the plugin API version and every problem found
                                (load failures, schema mistakes, unknown events, secrets not marked secret).
                                Exit status 1 when there is any problem.
              plugins           List what this installation would load from its plugins directory: each file,
                                its integration keys, or why it would be skipped. Exit status 1 when any is skipped.
              send --integration KEY [--setting NAME=VALUE]... --event TYPE [--payload FILE] [--event-id ID]
                                Deliver one event through the installed plugins, without a server, and print the
                                outcome and the target's last answer. A setting value that starts with { or [
                                is sent as JSON. --payload names a JSON file holding the event's payload (not needed
                                for integration_test). Exit status 1 when the event was not delivered.
                                Example, after setting up a target:
                                  rainforest-integrations send --integration KEY \\
                                      --setting url=https://chat.example.com/hooks/... --event integration_test
              deliveries [--status STATUS] [--integration KEY] [--limit N]
                                List the deliveries in this installation's store, most recent first: by default
                                the queued, failed and exhausted ones (STATUS: queued, failed, exhausted,
                                delivered, skipped). It opens the store itself, so the server must be stopped
                                when the store is embedded; a running server answers GET /deliveries on its
                                operators' port instead.
              help, --help      Show this help.

            All commands read the server's configuration: conf/application.yaml, the file named by
            INTEGRATIONS_CONFIG_FILE, then environment variables. send needs no signing key; it honours
            integrations.outbound.* and plugins.<key>.* as the server does.
            """;

    private final Map<String, String> environment;
    private final Path home;
    private final PrintStream out;
    private final PrintStream err;

    /**
     * A command line for one installation.
     *
     * @param environment the process environment
     * @param home the installation directory
     * @param out where results go
     * @param err where usage errors go
     */
    public Cli(Map<String, String> environment, Path home, PrintStream out, PrintStream err) {
        this.environment = Map.copyOf(environment);
        this.home = home;
        this.out = out;
        this.err = err;
    }

    /**
     * Whether the arguments ask for the server rather than a subcommand.
     *
     * @param args the command-line arguments
     * @return true for no arguments or {@code serve}
     */
    public static boolean isServe(String[] args) {
        return args.length == 0 || "serve".equals(args[0]);
    }

    /**
     * Runs a subcommand.
     *
     * @param args the command-line arguments, the subcommand first
     * @return the exit status
     */
    public int run(List<String> args) {
        if (args.isEmpty()) {
            err.print(HELP);
            return USAGE;
        }
        List<String> rest = args.subList(1, args.size());
        try {
            return switch (args.get(0)) {
                case "help", "--help", "-h" -> help();
                case "check" -> check(rest);
                case "plugins" -> plugins(rest);
                case "send" -> send(rest);
                case "deliveries" -> deliveries(rest);
                default -> throw new UsageException("unknown command \"" + args.get(0) + "\"");
            };
        } catch (UsageException e) {
            err.println("rainforest-integrations: " + e.getMessage());
            err.println("Run \"rainforest-integrations --help\" for usage.");
            return USAGE;
        } catch (IllegalStateException e) {
            // Unusable configuration: the same message the server would stop with.
            err.println("rainforest-integrations: " + e.getMessage());
            return FAILED;
        }
    }

    private int help() {
        out.print(HELP);
        return OK;
    }

    private int check(List<String> args) {
        if (args.size() != 1 || args.get(0).startsWith("-")) {
            throw new UsageException("check takes one argument: the plugin jar or directory");
        }
        Path source = Path.of(args.get(0)).toAbsolutePath().normalize();
        out.println("Plugin " + source);
        out.println("  plugin API (integrations-api) provided by this host: " + PluginCheck.apiVersion());
        try (PluginCheck.Report report = PluginCheck.check(source, EventCatalog.load())) {
            for (LoadedIntegration integration : report.integrations()) {
                describe(integration);
            }
            report.warnings().forEach(warning -> out.println("WARNING: " + warning));
            if (report.ok()) {
                out.println("OK: " + report.integrations().size() + " integration(s), no problems"
                        + (report.warnings().isEmpty() ? "" : ", " + report.warnings().size() + " warning(s)"));
                return OK;
            }
            report.problems().forEach(problem -> out.println("PROBLEM: " + problem));
            out.println("FAILED: " + report.problems().size() + " problem(s); the server would "
                    + (report.integrations().isEmpty() ? "skip this plugin" : "load it, but see above"));
            return FAILED;
        }
    }

    private void describe(LoadedIntegration integration) {
        IntegrationSchema schema = integration.schema();
        out.println("  integration " + schema.key() + " (" + schema.json().getString("title") + "), class "
                + integration.integration().getClass().getName());
        out.println("    events: " + String.join(", ", schema.events())
                + (schema.events().contains("integration_test") ? "" : " (and integration_test)"));
        out.println("    settings: " + (schema.settings().isEmpty() ? "none" : schema.settings().stream()
                .map(setting -> setting.key() + flags(setting)).collect(Collectors.joining(", "))));
        out.println("    outbound hosts: " + (schema.allowedHosts().isEmpty() ? "any"
                : schema.allowedHosts().stream().sorted().collect(Collectors.joining(", "))));
        if (!schema.requestSettings().isEmpty()) {
            out.println("    request settings: " + schema.requestSettings().stream().sorted()
                    .collect(Collectors.joining(", ")));
        }
        if (schema.json().getBoolean("deprecated", false)) {
            out.println("    deprecated: " + schema.json().getString("deprecation_note", "yes"));
        }
    }

    private static String flags(IntegrationSchema.Setting setting) {
        if (setting.required() && setting.secret()) {
            return " (required, secret)";
        }
        return setting.required() ? " (required)" : setting.secret() ? " (secret)" : "";
    }

    private int plugins(List<String> args) {
        if (!args.isEmpty()) {
            throw new UsageException("plugins takes no arguments");
        }
        HostSettings settings = HostSettings.from(config(), home);
        out.println("Plugins directory " + settings.pluginsDir());
        try (PluginRegistry registry = new PluginLoader().loadAll(settings.pluginsDir(), false)) {
            Map<Path, List<String>> bySource = new LinkedHashMap<>();
            registry.integrations().stream()
                    .sorted((a, b) -> a.source().compareTo(b.source()))
                    .forEach(loaded -> bySource.computeIfAbsent(loaded.source(), source -> new java.util.ArrayList<>())
                            .add(loaded.key()));
            bySource.forEach((source, keys) ->
                    out.println("  loaded  " + source.getFileName() + ": " + String.join(", ", keys)));
            for (PluginFailure failure : registry.failures()) {
                out.println("  skipped " + failure.source().getFileName() + ": " + failure.reason());
            }
            out.println(registry.integrations().size() + " integration(s) from " + bySource.size() + " plugin(s), "
                    + registry.failures().size() + " skipped");
            return registry.failures().isEmpty() ? OK : FAILED;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private int send(List<String> args) {
        String key = null;
        String eventType = null;
        Path payloadFile = null;
        String eventId = null;
        Map<String, JsonValue> settings = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String option = args.get(i);
            if (i + 1 >= args.size()) {
                throw new UsageException(option + " needs a value");
            }
            String value = args.get(++i);
            switch (option) {
                case "--integration" -> key = value;
                case "--event" -> eventType = value;
                case "--payload" -> payloadFile = Path.of(value);
                case "--event-id" -> eventId = value;
                case "--setting" -> {
                    int equals = value.indexOf('=');
                    if (equals <= 0) {
                        throw new UsageException("--setting takes NAME=VALUE");
                    }
                    settings.put(value.substring(0, equals), settingValue(value.substring(equals + 1)));
                }
                default -> throw new UsageException("unknown option \"" + option + "\" for send");
            }
        }
        if (key == null || eventType == null) {
            throw new UsageException("send needs --integration KEY and --event TYPE");
        }
        JsonObject payload = payloadFile == null ? JsonValue.EMPTY_JSON_OBJECT : readPayload(payloadFile);
        JsonObjectBuilder request = Json.createObjectBuilder()
                .add("event_type", eventType)
                .add("integrations", Json.createArrayBuilder().add(Json.createObjectBuilder()
                        .add("key", key).add("settings", Json.createObjectBuilder(settings))))
                .add("payload", payload);
        if (eventId != null) {
            request.add("event_id", eventId);
        }
        // A store of its own in memory: the installation's embedded store belongs to its server.
        try (PluginFailures failures = PluginFailures.listen();
             IntegrationsHost host = IntegrationsHost.create(config(Map.of("INTEGRATIONS_STORE_TYPE", "memory")),
                     home)) {
            List<DeliveryResult> results = host.deliver(request.build());
            results.forEach(this::print);
            failures.printTo(out);
            return results.stream().allMatch(result -> result.status() == DeliveryResult.Status.DELIVERED
                    || result.status() == DeliveryResult.Status.SKIPPED) ? OK : FAILED;
        } catch (RejectedRequest rejected) {
            out.println("rejected (" + rejected.type() + "): " + rejected.getMessage());
            out.println("nothing was sent");
            return FAILED;
        } catch (PluginLoadException e) {
            out.println("cannot load the plugins: " + e.getMessage());
            return FAILED;
        }
    }

    private int deliveries(List<String> args) {
        List<DeliveryLog.State> states = new ArrayList<>();
        Optional<String> integration = Optional.empty();
        int limit = 100;
        for (int i = 0; i < args.size(); i += 2) {
            String option = args.get(i);
            if (i + 1 >= args.size()) {
                throw new UsageException(option + " needs a value");
            }
            String value = args.get(i + 1);
            switch (option) {
                case "--status" -> {
                    try {
                        states.add(DeliveryLog.State.valueOf(value.toUpperCase(java.util.Locale.ROOT)));
                    } catch (IllegalArgumentException e) {
                        throw new UsageException("--status is one of queued, failed, exhausted, delivered, skipped");
                    }
                }
                case "--integration" -> integration = Optional.of(value);
                case "--limit" -> {
                    try {
                        limit = Integer.parseInt(value);
                    } catch (NumberFormatException e) {
                        limit = 0;
                    }
                    if (limit < 1) {
                        throw new UsageException("--limit takes a positive number");
                    }
                }
                default -> throw new UsageException("unknown option \"" + option + "\" for deliveries");
            }
        }
        if (states.isEmpty()) {
            states = List.of(DeliveryLog.State.QUEUED, DeliveryLog.State.FAILED, DeliveryLog.State.EXHAUSTED);
        }
        HostSettings settings = HostSettings.from(config(), home);
        try (Store store = Store.open(settings.store())) {
            DeliveryLog log = new DeliveryLog(store);
            int shown = 0;
            for (DeliveryLog.State state : states) {
                for (DeliveryLog.View view : log.list(Optional.of(state), integration, Optional.empty(), limit)) {
                    out.println(view.updatedAt() + "  " + view.state().json() + "  " + view.integration() + "  "
                            + view.eventType() + "  " + view.eventId() + "  attempts=" + view.attemptCount()
                            + view.nextAttemptAt().map(at -> "  next=" + at).orElse(""));
                    shown++;
                }
            }
            if (shown == 0) {
                out.println("no " + states.stream().map(DeliveryLog.State::json).collect(Collectors.joining(", "))
                        + " deliveries");
            }
            return OK;
        }
    }

    private void print(DeliveryResult result) {
        StringBuilder line = new StringBuilder(result.key()).append(": ")
                .append(result.status().name().toLowerCase(java.util.Locale.ROOT));
        result.type().ifPresent(type -> line.append(" (").append(type).append(')'));
        result.message().ifPresent(message -> line.append(": ").append(message));
        out.println(line);
        result.responseCode().ifPresent(code -> out.println("  the target answered " + code
                + result.responseBody().filter(body -> !body.isEmpty()).map(body -> ": " + body).orElse("")));
    }

    private static JsonValue settingValue(String text) {
        String trimmed = text.strip();
        if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
            try (JsonReader reader = Json.createReader(new StringReader(trimmed))) {
                return reader.readValue();
            } catch (JsonException e) {
                throw new UsageException("a setting value starting with { or [ must be JSON");
            }
        }
        return Json.createValue(text);
    }

    private static JsonObject readPayload(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UsageException("cannot read the payload file " + file + ": " + e.getMessage());
        }
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            if (reader.readValue() instanceof JsonObject object) {
                return object;
            }
        } catch (JsonException e) {
            throw new UsageException("the payload file " + file + " is not valid JSON: " + e.getMessage());
        }
        throw new UsageException("the payload file " + file + " must hold a JSON object");
    }

    /**
     * The server's configuration. {@code send} and {@code plugins} never check signatures, so a missing signing key
     * must not stop them: a random one stands in, which is never used.
     */
    private Config config() {
        return config(Map.of());
    }

    private Config config(Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>(environment);
        env.putAll(overrides);
        if (env.getOrDefault("INTEGRATIONS_SIGNING_KEY", "").isBlank()) {
            byte[] random = new byte[16];
            new SecureRandom().nextBytes(random);
            env.put("INTEGRATIONS_SIGNING_KEY", HexFormat.of().formatHex(random));
        }
        return HostConfig.load(env, Optional.of(home));
    }

    /** A command line that cannot be run; its message says why. */
    private static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }
}
