package com.rainforestqa.integrations.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import com.rainforestqa.integrations.testkit.FakeTarget;
import com.rainforestqa.integrations.testkit.HostClient;
import com.rainforestqa.integrations.testkit.RecordedRequest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example plugin in {@code plugins/examples/google-chat} as its author and an operator meet it: built outside the
 * reactor with its own {@code pom.xml} (against the plugin API and test kit in a private local repository), dropped
 * into a copy of the installation as a directory of jars, checked and tried with the command line, and served.
 */
class ExamplePluginIT {
    private static final String SIGNING_KEY = "example-plugin-signing-key";

    @RegisterExtension
    static final ServiceOutput OUTPUT = new ServiceOutput();

    @TempDir
    static Path temp;

    private static Path home;
    private static Path config;
    private static FakeTarget chat;

    @BeforeAll
    static void buildTheExampleAndInstallIt() throws IOException, InterruptedException {
        Path project = temp.resolve("google-chat");
        ThirdPartyBuild.copyTree(Path.of(System.getProperty("example.project")), project,
                path -> !path.startsWith("target"));
        ThirdPartyBuild.in(temp).mvn(project, "ExamplePluginIT-build.log", "verify");
        try (Stream<Path> built = Files.list(project.resolve("target").resolve("google-chat"))) {
            assertThat(built.map(path -> path.getFileName().toString()).sorted())
                    .containsExactly("google-chat-integration-1.0.0.jar", "snakeyaml-2.2.jar");
        }

        home = temp.resolve("installation");
        ThirdPartyBuild.copyTree(Installation.directory(), home, path -> true);
        ThirdPartyBuild.copyTree(project.resolve("target").resolve("google-chat"),
                home.resolve("plugins").resolve("google-chat"), path -> true);
        chat = FakeTarget.start();
        config = Files.writeString(temp.resolve("example.yaml"), """
                integrations:
                  outbound:
                    allow-private-addresses: true
                plugins:
                  google_chat:
                    allowed-hosts: [127.0.0.1]
                """);
    }

    @AfterAll
    static void stop() {
        if (chat != null) {
            chat.close();
        }
    }

    @Test
    void theHostsSnakeyamlDiffersFromThePluginsOwn() throws IOException {
        try (Stream<Path> lib = Files.list(home.resolve("lib"))) {
            assertThat(lib.map(path -> path.getFileName().toString()).filter(name -> name.startsWith("snakeyaml")))
                    .containsExactly("snakeyaml-2.4.jar");
        }
    }

    @Test
    void checkLoadsTheBuiltPluginAsTheServerWould() throws IOException, InterruptedException {
        InstallationCommand check = run(Map.of(), "check", home.resolve("plugins").resolve("google-chat").toString());

        assertThat(check.status()).as(check.both()).isZero();
        assertThat(check.output()).contains(
                "  integration google_chat (Google Chat), class com.example.integrations.googlechat.GoogleChatIntegration",
                "    settings: url (required, secret), format",
                "    outbound hosts: chat.googleapis.com",
                "OK: 1 integration(s), no problems");
    }

    @Test
    void pluginsListsTheExampleBesideTheBundledOnes() throws IOException, InterruptedException {
        InstallationCommand plugins = run(Map.of(), "plugins");

        assertThat(plugins.status()).as(plugins.both()).isZero();
        assertThat(plugins.output()).contains("  loaded  google-chat: google_chat",
                "  loaded  integrations-plugin-slack-" + Installation.version() + ".jar: slack",
                " 0 skipped");
    }

    @Test
    void sendDeliversTheIntegrationTestThroughTheExample() throws IOException, InterruptedException {
        chat.reset();
        String url = chat.uri("/v1/spaces/AAAA/messages?key=k&token=secret-token").toString();

        InstallationCommand send = run(Map.of("INTEGRATIONS_CONFIG_FILE", config.toString()), "send", "--integration",
                "google_chat", "--setting", "url=" + url, "--setting", "format=text", "--event", "integration_test");

        assertThat(send.status()).as(send.both()).isZero();
        assertThat(send.output()).isEqualTo("google_chat: delivered\n  the target answered 200: ok\n");
        assertThat(chat.onlyRequest().json()).hasToString("{\"text\":\"Rainforest is connected to this space.\"}");
    }

    @Test
    void theServerDeliversAnEventThroughTheExample() throws IOException, InterruptedException {
        chat.reset();
        Path workingDirectory = Files.createDirectories(temp.resolve("serve"));
        try (ServiceProcess service = OUTPUT.watch(ServiceProcess.start(home.resolve("bin")
                        .resolve("rainforest-integrations"), workingDirectory,
                Map.of("INTEGRATIONS_SIGNING_KEY", SIGNING_KEY, "INTEGRATIONS_CONFIG_FILE", config.toString()),
                Installation.logsDirectory().resolve("ExamplePluginIT.log")))) {
            service.awaitReady();
            String url = chat.uri("/v1/spaces/AAAA/messages?key=k&token=secret-token").toString();

            HostClient.Answer answer = new HostClient(service.port(), SIGNING_KEY).postEvent("""
                    {"event_type": "run_completion", "event_id": "evt-chat-1",
                     "integrations": [{"key": "google_chat", "settings": {"url": "%s"}}],
                     "payload": {"frontend_url": "https://app.rainforestqa.com/runs/9",
                       "run": {"id": 9, "description": "Smoke", "environment": {"name": "QA"}, "result": "passed",
                               "total_tests": 3, "total_failed_tests": 0}}}
                    """.formatted(url));

            assertThat(answer.status()).as(answer.body()).isEqualTo(201);
            RecordedRequest received = chat.onlyRequest();
            assertThat(received.path()).isEqualTo("/v1/spaces/AAAA/messages");
            assertThat(received.json().getString("text")).isEqualTo("Rainforest run #9 passed: Smoke");
            assertThat(received.json().getJsonArray("cardsV2")).hasSize(1);
            service.stop();
        }
    }

    private static InstallationCommand run(Map<String, String> environment, String... args)
            throws IOException, InterruptedException {
        InstallationCommand command = InstallationCommand.run(home, temp, environment, args);
        assertThat(command.errors()).as("stderr of " + String.join(" ", args)).doesNotContain("secret-token");
        return command;
    }
}
