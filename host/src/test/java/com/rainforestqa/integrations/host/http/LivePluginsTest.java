package com.rainforestqa.integrations.host.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.rainforestqa.integrations.host.IntegrationsHost;
import com.rainforestqa.integrations.host.config.HostConfig;
import com.rainforestqa.integrations.host.plugin.LoadedPlugin;
import com.rainforestqa.integrations.host.testing.TestPlugins;
import com.rainforestqa.integrations.host.testing.TestServer;
import com.rainforestqa.integrations.testkit.FakeTarget;
import com.rainforestqa.integrations.testkit.HostClient;
import com.rainforestqa.integrations.testkit.RecordedRequest;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.AfterStop;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;


import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;

/**
 * A plugin dropped in, replaced (renamed into place, then overwritten in place) and removed while clients keep
 * posting events: every event is answered, by a complete plugin, and the replaced versions' class loaders close.
 */
@ServerTest
class LivePluginsTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final int CLIENTS = 4;

    private static FakeTarget target;
    private static IntegrationsHost host;
    private static Path plugins;
    private static Path build;

    private final HostClient api;
    private final HostClient admin;

    LivePluginsTest(WebServer server) {
        this.api = new HostClient(server.port(), "unused");
        this.admin = new HostClient(TestServer.adminPort(server), "unused");
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) throws IOException {
        target = FakeTarget.start();
        Path home = Files.createTempDirectory("integrations-home");
        plugins = Files.createDirectories(home.resolve("plugins"));
        build = Files.createDirectories(home.resolve("build"));
        host = IntegrationsHost.create(HostConfig.fromYaml("""
                integrations:
                  require-signature: false
                  plugins:
                    watch-interval: PT0.1S
                  outbound:
                    allow-private-addresses: true
                """), home);
        TestServer.serve(server, host);
    }

    @AfterStop
    static void stop() {
        host.close();
        target.close();
    }

    @Test
    void pluginsComeAndGoUnderLoadWithEveryEventAnswered() throws Exception {
        Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
        List<String> unexpected = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean running = new AtomicBoolean(true);
        String event = """
                {"event_type": "run_completion", "integrations": [{"key": "live", "settings": {"url": "%s"}}],
                 "payload": {"frontend_url": "https://app.rainforestqa.com/runs/42", "run": {"id": 42, "result": "passed"}}}
                """.formatted(target.uri("/hook"));
        List<Future<?>> clients = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < CLIENTS; i++) {
                clients.add(executor.submit(() -> {
                    while (running.get()) {
                        try {
                            HostClient.Answer answer = api.postEvent(event);
                            String outcome = answer.status() + (answer.status() == 400
                                    ? " " + answer.json().asJsonObject().getString("type") : "");
                            answers.computeIfAbsent(outcome, key -> new AtomicInteger()).incrementAndGet();
                            if (!outcome.equals("201") && !outcome.equals("400 unsupported_integration")) {
                                unexpected.add(outcome + ": " + answer.body());
                            }
                        } catch (RuntimeException e) {
                            unexpected.add(e.toString());
                        }
                    }
                }));
            }

            awaitAnswers(answers, "400 unsupported_integration");

            // A slow copy: a third of the jar, then the rest. Nothing half-written ever serves.
            byte[] v1 = Files.readAllBytes(TestPlugins.live("v1").writeTo(build.resolve("v1.jar")));
            Files.write(plugins.resolve("live.jar"), Arrays.copyOf(v1, v1.length / 3));
            Files.write(plugins.resolve("live.jar"), v1);
            await(() -> servingVersion().equals(Optional.of("v1")), "v1 to serve");
            LoadedPlugin first = servingPlugin();
            awaitAnswers(answers, "201");

            // Replaced by a rename into place.
            Path v2 = TestPlugins.live("v2").writeTo(build.resolve("v2.jar"));
            Files.move(v2, plugins.resolve("live.jar"), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
            await(() -> servingVersion().equals(Optional.of("v2")), "v2 to take over");
            LoadedPlugin second = servingPlugin();
            await(first::isClosed, "v1's class loader to close");
            awaitDelivered("v2");

            // Replaced by overwriting the file in place, as cp does.
            Files.write(plugins.resolve("live.jar"), Files.readAllBytes(TestPlugins.live("v3")
                    .writeTo(build.resolve("v3.jar"))));
            await(() -> servingVersion().equals(Optional.of("v3")), "v3 to take over");
            await(second::isClosed, "v2's class loader to close");
            awaitDelivered("v3");

            // Removed.
            LoadedPlugin third = servingPlugin();
            Files.delete(plugins.resolve("live.jar"));
            await(() -> host.plugins().find("live").isEmpty(), "live to be withdrawn");
            await(third::isClosed, "v3's class loader to close");
            int unsupportedBefore = answers.get("400 unsupported_integration").get();
            await(() -> answers.get("400 unsupported_integration").get() > unsupportedBefore,
                    "events for the removed plugin to be refused");

            running.set(false);
            for (Future<?> client : clients) {
                client.get();
            }
        } finally {
            running.set(false);
        }

        assertThat(unexpected).isEmpty();
        assertThat(answers.keySet()).containsExactlyInAnyOrder("201", "400 unsupported_integration");
        // Every delivery came from a complete plugin: one of the versions dropped, nothing else.
        assertThat(target.requests()).extracting(RecordedRequest::json)
                .extracting(json -> json.getString("version"))
                .containsOnly("v1", "v2", "v3");
        assertThat(admin.get("/plugins").json().asJsonObject().getJsonArray("plugins")).isEmpty();
    }

    private static Optional<String> servingVersion() {
        return host.pluginDirectory().current().plugins().stream()
                .filter(plugin -> plugin.keys().contains("live"))
                .findFirst()
                .map(plugin -> plugin.manifest().version().orElse("none"));
    }

    private static LoadedPlugin servingPlugin() {
        return host.pluginDirectory().current().plugins().stream()
                .filter(plugin -> plugin.keys().contains("live")).findFirst().orElseThrow();
    }

    private static void awaitAnswers(Map<String, AtomicInteger> answers, String outcome) {
        await(() -> answers.containsKey(outcome), "an answer " + outcome);
    }

    private static void awaitDelivered(String version) {
        await(() -> target.requests().stream()
                .anyMatch(request -> request.json().getString("version").equals(version)),
                "a delivery by " + version);
    }

    private static void await(BooleanSupplier condition, String what) {
        Instant until = Instant.now().plus(WAIT);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(until)) {
                throw new AssertionError("waited " + WAIT.toSeconds() + " s for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }
}
