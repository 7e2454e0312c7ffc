package com.rainforestqa.integrations.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import com.rainforestqa.integrations.testkit.FakeTarget;
import com.rainforestqa.integrations.testkit.HostClient;
import com.rainforestqa.integrations.testkit.RecordedRequest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
        copyTree(Path.of(System.getProperty("example.project")), project, path -> !path.startsWith("target"));
        String cache = Path.of(System.getProperty("maven.cache")).toUri().toString();
        Path settings = Files.writeString(temp.resolve("settings.xml"), """
                <settings>
                  <profiles>
                    <profile>
                      <id>build-cache-first</id>
                      <repositories>
                        <repository><id>build-cache</id><url>%1$s</url></repository>
                        <repository><id>central</id><url>https://repo.maven.apache.org/maven2</url></repository>
                      </repositories>
                      <pluginRepositories>
                        <pluginRepository><id>build-cache</id><url>%1$s</url></pluginRepository>
                        <pluginRepository><id>central</id><url>https://repo.maven.apache.org/maven2</url></pluginRepository>
                      </pluginRepositories>
                    </profile>
                  </profiles>
                  <activeProfiles><activeProfile>build-cache-first</activeProfile></activeProfiles>
                </settings>
                """.formatted(cache));
        // What the example needs beyond the reactor's artifacts comes from the build's own cache first, so a warm
        // machine builds it without the network; anything missing there (a library only the example uses, on a new
        // machine) comes from Maven Central, as for any third party. Nothing is written to the build's cache.
        Path maven = Path.of(System.getProperty("maven.home"), "bin", "mvn");
        Path log = Installation.logsDirectory().resolve("ExamplePluginIT-build.log");
        Files.createDirectories(log.getParent());
        Process build = new ProcessBuilder(maven.toString(), "-B", "-s", settings.toString(),
                "-Dmaven.repo.local=" + System.getProperty("example.repository"),
                "-f", project.resolve("pom.xml").toString(), "verify")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!build.waitFor(10, TimeUnit.MINUTES)) {
            build.destroyForcibly();
            throw new AssertionError("the example's build did not finish in 10 minutes; see " + log);
        }
        assertThat(build.exitValue()).as("the example's build; its output:\n%s",
                Files.readString(log, StandardCharsets.UTF_8)).isZero();
        try (Stream<Path> built = Files.list(project.resolve("target").resolve("google-chat"))) {
            assertThat(built.map(path -> path.getFileName().toString()).sorted())
                    .containsExactly("google-chat-integration-1.0.0.jar", "snakeyaml-2.2.jar");
        }

        home = temp.resolve("installation");
        copyTree(Installation.directory(), home, path -> true);
        copyTree(project.resolve("target").resolve("google-chat"), home.resolve("plugins").resolve("google-chat"),
                path -> true);
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
        Result check = run(Map.of(), "check", home.resolve("plugins").resolve("google-chat").toString());

        assertThat(check.status()).as(check.both()).isZero();
        assertThat(check.output()).contains(
                "  integration google_chat (Google Chat), class com.example.integrations.googlechat.GoogleChatIntegration",
                "    settings: url (required, secret), format",
                "    outbound hosts: chat.googleapis.com",
                "OK: 1 integration(s), no problems");
    }

    @Test
    void pluginsListsTheExampleBesideTheBundledOnes() throws IOException, InterruptedException {
        Result plugins = run(Map.of(), "plugins");

        assertThat(plugins.status()).as(plugins.both()).isZero();
        assertThat(plugins.output()).contains("  loaded  google-chat: google_chat",
                "  loaded  integrations-plugin-slack-" + Installation.version() + ".jar: slack",
                " 0 skipped");
    }

    @Test
    void sendDeliversTheIntegrationTestThroughTheExample() throws IOException, InterruptedException {
        chat.reset();
        String url = chat.uri("/v1/spaces/AAAA/messages?key=k&token=secret-token").toString();

        Result send = run(Map.of("INTEGRATIONS_CONFIG_FILE", config.toString()), "send", "--integration",
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

    private record Result(int status, String output, String errors) {
        String both() {
            return output + (errors.isEmpty() ? "" : "\n(stderr)\n" + errors);
        }
    }

    private static Result run(Map<String, String> environment, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(home.resolve("bin").resolve("rainforest-integrations").toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(temp.toFile());
        builder.environment().putAll(environment);
        Path out = Files.createTempFile(temp, "cli", ".out");
        Path err = Files.createTempFile(temp, "cli", ".err");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("rainforest-integrations " + String.join(" ", args) + " did not finish");
        }
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertThat(stderr).as("stderr of " + String.join(" ", args)).doesNotContain("secret-token");
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8), stderr);
    }

    private static void copyTree(Path from, Path to, java.util.function.Predicate<Path> include) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path relative = from.relativize(path);
                if (!relative.toString().isEmpty() && !include.test(relative)) {
                    continue;
                }
                Path target = to.resolve(relative.toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    try {
                        Files.copy(path, target, StandardCopyOption.COPY_ATTRIBUTES);
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot copy " + path, e);
                    }
                }
            }
        }
    }
}
