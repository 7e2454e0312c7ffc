package com.rainforestqa.integrations.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.rainforestqa.integrations.host.IntegrationsHost;
import com.rainforestqa.integrations.host.config.HostConfig;
import com.rainforestqa.integrations.host.testing.PluginJar;
import com.rainforestqa.integrations.host.testing.TestPlugins;
import com.rainforestqa.integrations.testkit.FakeTarget;
import com.rainforestqa.integrations.testkit.RecordedRequest;
import com.rainforestqa.integrations.testkit.Reply;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The subcommands, run in-process against a temporary installation, with their output captured. */
class CliTest {
    @TempDir
    Path home;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private FakeTarget target;

    @BeforeEach
    void installation() throws IOException {
        Files.createDirectories(home.resolve("plugins"));
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf").resolve("application.yaml"), """
                integrations:
                  outbound:
                    allow-private-addresses: true
                """);
        TestPlugins.echo(home.resolve("plugins").resolve("echo.jar"));
        target = FakeTarget.start();
    }

    @AfterEach
    void stop() {
        target.close();
    }

    @Test
    void checkReportsAGoodPluginAndExitsZero() {
        int status = run("check", home.resolve("plugins").resolve("echo.jar").toString());

        assertThat(status).as(output()).isEqualTo(Cli.OK);
        assertThat(output()).contains("integration echo (Echo), class test.echo.EchoIntegration",
                "events: run_completion, run_test_failure (and integration_test)",
                "settings: url (required, secret), token (secret)",
                "outbound hosts: any",
                "request settings: oauth_consumer",
                "plugin API (integrations-api) provided by this host: ",
                "OK: 1 integration(s), no problems");
    }

    @Test
    void checkReportsAPluginWithoutSchemaAndExitsOne() {
        Path jar = TestPlugins.simple("Bare", "bare", "").writeTo(home.resolve("bare.jar"));

        int status = run("check", jar.toString());

        assertThat(status).isEqualTo(Cli.FAILED);
        assertThat(output()).contains("PROBLEM: integration \"bare\" has no schema META-INF/integrations/bare.yaml",
                "FAILED: 1 problem(s); the server would skip this plugin");
    }

    @Test
    void checkReportsUnknownEventsAndUnmarkedSecrets() {
        Path jar = TestPlugins.simple("Leaky", "leaky", "").schema("leaky", """
                key: leaky
                title: Leaky
                events: [run_completion, run_finished]
                settings:
                  - key: api_token
                    title: Token
                    required: true
                """).writeTo(home.resolve("leaky.jar"));

        int status = run("check", jar.toString());

        assertThat(status).isEqualTo(Cli.FAILED);
        assertThat(output()).contains(
                "PROBLEM: leaky: event \"run_finished\" is not one the host sends (known: run_completion, run_error, "
                        + "webhook_timeout, run_test_failure, integration_test)",
                "PROBLEM: leaky: setting \"api_token\" looks like a credential but is not marked \"secret: true\"",
                "the server would load it, but see above");
    }

    @Test
    void checkReportsAConstructorThatThrows() {
        Path jar = TestPlugins.simple("Broken", "broken", "if (true) throw new IllegalStateException(\"no config\");")
                .schema("broken", TestPlugins.schema("broken")).writeTo(home.resolve("broken.jar"));

        assertThat(run("check", jar.toString())).isEqualTo(Cli.FAILED);
        assertThat(output()).contains("PROBLEM: could not instantiate an integration: ",
                "java.lang.IllegalStateException: no config");
    }

    @Test
    void checkWarnsOfBundledHostApisAndAMissingApiVersion() throws IOException {
        Path jar = TestPlugins.simple("Heavy", "heavy", "")
                .schema("heavy", TestPlugins.schema("heavy"))
                .entry("jakarta/json/Json.class", classFile(jakarta.json.Json.class))
                .entry("jakarta/json/JsonObject.class", classFile(jakarta.json.JsonObject.class))
                .entry("org/eclipse/parsson/JsonProviderImpl.class",
                        classFile(org.eclipse.parsson.JsonProviderImpl.class))
                .writeTo(home.resolve("heavy.jar"));

        int status = run("check", jar.toString());

        assertThat(status).as(output()).isEqualTo(Cli.OK);
        assertThat(output()).contains(
                "WARNING: the plugin jar's manifest has no Rainforest-Integrations-Api-Version attribute",
                "WARNING: heavy.jar bundles 2 class(es) of the JSON Processing API (jakarta.json), which the host "
                        + "provides",
                "WARNING: heavy.jar bundles 1 class(es) of the JSON Processing provider (org.eclipse.parsson)",
                "OK: 1 integration(s), no problems, 3 warning(s)");
    }

    @Test
    void checkWithTheApiVersionInTheManifestHasNoWarning() {
        Path jar = TestPlugins.simple("Tidy", "tidy", "")
                .schema("tidy", TestPlugins.schema("tidy"))
                .manifest("Rainforest-Integrations-Api-Version", "0.1")
                .writeTo(home.resolve("tidy.jar"));

        assertThat(run("check", jar.toString())).as(output()).isEqualTo(Cli.OK);
        assertThat(output()).doesNotContain("WARNING").contains("OK: 1 integration(s), no problems\n");
    }

    @Test
    void checkFindsAHostClassThePluginUsesAtDelivery() {
        Path jar = TestPlugins.throwing("io.helidon.config.Config.empty();")
                .manifest("Rainforest-Integrations-Api-Version", "0.1")
                .writeTo(home.resolve("boom.jar"));

        assertThat(run("check", jar.toString())).as(output()).isEqualTo(Cli.FAILED);
        assertThat(output()).contains("PROBLEM: io.helidon.config.Config cannot be loaded by the plugin, but "
                        + "test.boom.BoomIntegration use(s) it: it is a class of the host, which plugins never see",
                "FAILED: 1 problem(s); the server would load it, but see above");
    }

    @Test
    void checkFindsADependencyLeftOutOfThePlugin() {
        Path jar = TestPlugins.throwing("test.boom.Formatter.format(\"x\");")
                .source("test.boom.Formatter", """
                        package test.boom;

                        public final class Formatter {
                            public static String format(String text) {
                                return text;
                            }
                        }
                        """)
                .leaveOut("test.boom.Formatter")
                .manifest("Rainforest-Integrations-Api-Version", "0.1")
                .writeTo(home.resolve("boom.jar"));

        assertThat(run("check", jar.toString())).as(output()).isEqualTo(Cli.FAILED);
        assertThat(output()).contains("PROBLEM: test.boom.Formatter cannot be loaded by the plugin, but "
                + "test.boom.BoomIntegration use(s) it: no jar of the plugin has it");
    }

    @Test
    void checkReadsEveryJarOfAPluginDirectory() throws IOException {
        Path directory = Files.createDirectories(home.resolve("split"));
        TestPlugins.throwing("test.boom.Formatter.format(\"x\");")
                .source("test.boom.Formatter", """
                        package test.boom;

                        public final class Formatter {
                            public static String format(String text) {
                                return text;
                            }
                        }
                        """)
                .leaveOut("test.boom.Formatter")
                .manifest("Rainforest-Integrations-Api-Version", "0.1")
                .writeTo(directory.resolve("boom.jar"));
        PluginJar.builder().source("test.boom.Formatter", """
                package test.boom;

                public final class Formatter {
                    public static String format(String text) {
                        return text;
                    }
                }
                """).writeTo(directory.resolve("formatter.jar"));

        assertThat(run("check", directory.toString())).as(output()).isEqualTo(Cli.OK);
        assertThat(output()).contains("OK: 1 integration(s), no problems\n");
    }

    private static byte[] classFile(Class<?> type) throws IOException {
        try (var in = type.getResourceAsStream(type.getSimpleName() + ".class")) {
            return in.readAllBytes();
        }
    }

    @Test
    void checkOfAMissingFileIsAProblem() {
        assertThat(run("check", home.resolve("nothing.jar").toString())).isEqualTo(Cli.FAILED);
        assertThat(output()).contains("PROBLEM: " + home.resolve("nothing.jar") + " does not exist");
    }

    @Test
    void pluginsListsLoadedAndSkippedPlugins() throws IOException {
        Files.writeString(home.resolve("plugins").resolve("junk.jar"), "not a jar");

        int status = run("plugins");

        assertThat(status).isEqualTo(Cli.FAILED);
        assertThat(output()).contains("Plugins directory " + home.resolve("plugins"),
                "  loaded  echo.jar: echo",
                "  skipped junk.jar: junk.jar is not a readable jar",
                "1 integration(s) from 1 plugin(s), 1 skipped");
    }

    @Test
    void pluginsWithOnlyGoodPluginsExitsZero() {
        assertThat(run("plugins")).isEqualTo(Cli.OK);
        assertThat(output()).contains("1 integration(s) from 1 plugin(s), 0 skipped");
    }

    @Test
    void sendDeliversTheIntegrationTestWithoutASigningKey() {
        int status = run("send", "--integration", "echo", "--setting", "url=" + target.uri("/hook"),
                "--setting", "token=t0ken", "--event", "integration_test");

        assertThat(status).as(output()).isEqualTo(Cli.OK);
        assertThat(output()).isEqualTo("echo: delivered\n  the target answered 200: ok\n");
        RecordedRequest received = target.onlyRequest();
        assertThat(received.path()).isEqualTo("/hook");
        assertThat(received.header("authorization")).contains("Bearer t0ken");
        assertThat(received.json().getString("event_type")).isEqualTo("integration_test");
    }

    @Test
    void sendReadsThePayloadFile() throws IOException {
        Path payload = Files.writeString(home.resolve("payload.json"), "{\"run\": {\"id\": 42}}");

        int status = run("send", "--integration", "echo", "--setting", "url=" + target.uri("/hook"),
                "--event", "run_completion", "--payload", payload.toString(), "--event-id", "evt-9");

        assertThat(status).as(output()).isEqualTo(Cli.OK);
        assertThat(target.onlyRequest().json().getString("run_id")).isEqualTo("42");
        assertThat(target.onlyRequest().json().getString("event_id")).isEqualTo("evt-9");
    }

    @Test
    void sendPrintsTheTargetsAnswerOnFailureWithoutTheSecret() {
        target.setDefaultReply(Reply.status(404, "no such hook " + target.uri("/secret-hook")));

        int status = run("send", "--integration", "echo", "--setting", "url=" + target.uri("/secret-hook"),
                "--event", "integration_test");

        assertThat(status).isEqualTo(Cli.FAILED);
        assertThat(output()).isEqualTo("""
                echo: failed (user_configuration_error): the echo target answered 404
                  the target answered 404: no such hook [REDACTED]
                """);
    }

    @Test
    void sendPrintsTheRedactedStackTraceOfAPluginException() {
        TestPlugins.throwing("if (true) throw new IllegalStateException(\"cannot post to \" + settings.required(\"url\"),"
                + " new java.io.IOException(\"refused by \" + settings.required(\"url\")));")
                .writeTo(home.resolve("plugins").resolve("boom.jar"));

        int status = run("send", "--integration", "boom", "--setting", "url=https://hooks.example/s3cr3t",
                "--event", "integration_test");

        assertThat(status).isEqualTo(Cli.FAILED);
        assertThat(output()).startsWith("""
                boom: failed (misconfigured_integration): the integration failed unexpectedly
                Integration boom threw java.lang.IllegalStateException on an event of type integration_test
                java.lang.IllegalStateException: cannot post to [REDACTED]
                \tat plugin:boom.jar//test.boom.BoomIntegration.deliver(BoomIntegration.java:""")
                .contains("Caused by: java.io.IOException: refused by [REDACTED]")
                .doesNotContain("s3cr3t");
    }

    @Test
    void sendNamesTheClassAPluginCannotFind() {
        // The plugin compiles against the host's class path, but its class loader does not show it Helidon.
        TestPlugins.throwing("io.helidon.config.Config.empty();")
                .writeTo(home.resolve("plugins").resolve("boom.jar"));

        int status = run("send", "--integration", "boom", "--setting", "url=https://hooks.example/s3cr3t",
                "--event", "integration_test");

        assertThat(status).isEqualTo(Cli.FAILED);
        assertThat(output()).contains(
                "Integration boom threw java.lang.NoClassDefFoundError on an event of type integration_test\n"
                        + "java.lang.NoClassDefFoundError: io/helidon/config/Config\n"
                        + "\tat plugin:boom.jar//test.boom.BoomIntegration.deliver(BoomIntegration.java:");
    }

    @Test
    void sendOfAnIncompleteEventIsRejectedAndSendsNothing() {
        int status = run("send", "--integration", "echo", "--setting", "url=" + target.uri("/hook"),
                "--event", "run_completion");

        assertThat(status).isEqualTo(Cli.FAILED);
        assertThat(output()).isEqualTo("""
                rejected (invalid_request): payload is missing "run", which run_completion requires
                nothing was sent
                """);
        assertThat(target.requests()).isEmpty();
    }

    @Test
    void sendToAnUnknownIntegrationIsRejected() {
        assertThat(run("send", "--integration", "nope", "--event", "integration_test")).isEqualTo(Cli.FAILED);
        assertThat(output()).startsWith("rejected (unsupported_integration): nope: no integration \"nope\"");
    }

    @Test
    void sendWithoutRequiredOptionsIsAUsageError() {
        assertThat(run("send", "--integration", "echo")).isEqualTo(Cli.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .startsWith("rainforest-integrations: send needs --integration KEY and --event TYPE\n");
    }

    @Test
    void unknownCommandIsAUsageError() {
        assertThat(run("frobnicate")).isEqualTo(Cli.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown command \"frobnicate\"");
    }

    @Test
    void helpDocumentsEveryCommand() {
        assertThat(run("--help")).isEqualTo(Cli.OK);
        assertThat(output()).contains("serve ", "check PATH", "plugins ", "send --integration KEY");
    }

    @Test
    void serveIsTheDefault() {
        assertThat(Cli.isServe(new String[0])).isTrue();
        assertThat(Cli.isServe(new String[] {"serve"})).isTrue();
        assertThat(Cli.isServe(new String[] {"check", "x.jar"})).isFalse();
    }

    @Test
    void credentialLikeKeysLookSecret() {
        assertThat(List.of("url", "api_token", "room_token", "secret", "routing_key", "password", "webhook_url"))
                .allMatch(PluginCheck::looksSecret);
        assertThat(List.of("jira_base_url", "project_key", "room_id", "severity", "labels", "email"))
                .noneMatch(PluginCheck::looksSecret);
    }

    @Test
    void deliveriesListsWhatTheStoreHoldsWithoutAServer() throws Exception {
        target.setDefaultReply(Reply.status(503, "down"));
        Files.writeString(home.resolve("conf").resolve("application.yaml"), """
                integrations:
                  signing-key: cli-test-key
                  outbound:
                    allow-private-addresses: true
                  delivery:
                    max-attempts: 1
                    inline-deadline: PT1S
                    retry-schedule: [PT1H]
                """);
        try (IntegrationsHost host = IntegrationsHost.create(HostConfig.load(Map.of(), Optional.of(home)),
                home)) {
            host.deliver(jakarta.json.Json.createReader(new java.io.StringReader("""
                    {"event_type": "run_completion", "event_id": "cli-queued-1",
                     "integrations": [{"key": "echo", "settings": {"url": "%s"}}],
                     "payload": {"run": {"id": 7}}}""".formatted(target.uri("/down")))).readObject());
        }

        int status = run("deliveries");
        String queued = output();
        out.reset();
        int delivered = run("deliveries", "--status", "delivered");

        assertThat(status).as(queued).isEqualTo(Cli.OK);
        assertThat(queued).contains("queued  echo  run_completion  cli-queued-1  attempts=1  next=");
        assertThat(queued).doesNotContain(target.uri("/down").toString());
        assertThat(delivered).isEqualTo(Cli.OK);
        assertThat(output()).contains("no delivered deliveries");
        assertThat(run("deliveries", "--status", "lost")).isEqualTo(Cli.USAGE);
    }

    private int run(String... args) {
        return new Cli(Map.of(), home, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(List.of(args));
    }

    private String output() {
        return out.toString(StandardCharsets.UTF_8);
    }
}
