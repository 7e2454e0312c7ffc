package com.rainforestqa.integrations.host.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.rainforestqa.integrations.host.IntegrationsHost;
import com.rainforestqa.integrations.host.config.HostConfig;
import com.rainforestqa.integrations.host.testing.TestPlugins;
import com.rainforestqa.integrations.host.testing.TestServer;
import com.rainforestqa.integrations.testkit.FakeTarget;
import com.rainforestqa.integrations.testkit.HostClient;
import com.rainforestqa.integrations.testkit.Reply;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.AfterStop;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

/** The orderly stop: requests in flight get their answers, new ones a 503 that says when to come back. */
@ServerTest
class DrainTest {
    private static FakeTarget target;
    private static IntegrationsHost host;

    private final HostClient api;

    DrainTest(WebServer server) {
        this.api = new HostClient(server.port(), "unused");
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) throws IOException {
        target = FakeTarget.start();
        Path home = Files.createTempDirectory("integrations-home");
        TestPlugins.echo(home.resolve("plugins").resolve("echo.jar"));
        host = IntegrationsHost.create(HostConfig.fromYaml("""
                integrations:
                  require-signature: false
                  store:
                    type: memory
                  outbound:
                    allow-private-addresses: true
                  shutdown:
                    grace: PT10S
                """), home);
        TestServer.serve(server, host);
    }

    @AfterStop
    static void stop() {
        host.close();
        target.close();
    }

    @Test
    void drainLetsRequestsInFlightFinishAndRefusesNewOnes() throws Exception {
        target.setDefaultReply(Reply.status(200, "ok").after(Duration.ofSeconds(2)));
        CompletableFuture<HostClient.Answer> inFlight = CompletableFuture.supplyAsync(() -> api.postEvent("""
                {"event_type": "integration_test", "event_id": "drain-1",
                 "integrations": [{"key": "echo", "settings": {"url": "%s"}}]}""".formatted(target.uri("/hook"))));
        while (target.requests().isEmpty()) {
            Thread.sleep(20);
        }

        CompletableFuture<Integer> drained = CompletableFuture.supplyAsync(() -> {
            try {
                return host.drain();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(200);
        HostClient.Answer refused = api.get("/integrations");

        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.header("Retry-After")).isEqualTo("5");
        assertThat(refused.body()).contains("\"type\":\"unavailable\"");
        assertThat(drained).isNotDone();
        HostClient.Answer answer = inFlight.get();
        assertThat(answer.status()).isEqualTo(201);
        assertThat(answer.body()).contains("\"delivered\"");
        assertThat(drained.get()).isZero();
    }
}
