package com.rainforestqa.integrations.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import com.rainforestqa.integrations.testkit.FakeTarget;
import com.rainforestqa.integrations.testkit.HostClient;
import com.rainforestqa.integrations.testkit.RawHttp;
import com.rainforestqa.integrations.testkit.Reply;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The installation under conditions a well-behaved caller does not create: a stop while deliveries are under way,
 * HTTP/1.0, connections that never send a byte, and nginx in front with the example configuration it ships.
 */
class HardeningIT {
    private static final String SIGNING_KEY = "hardening-signing-key";
    private static final int CALLERS = 21;

    @RegisterExtension
    static final ServiceOutput OUTPUT = new ServiceOutput();

    @TempDir
    static Path temp;

    @Test
    void sigtermLetsEveryCallerWithDeliveriesUnderWayGetItsAnswer() throws Exception {
        try (FakeTarget target = FakeTarget.start(); ServiceProcess service = start("sigterm", "");
             ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            service.awaitReady();
            target.setDefaultReply(Reply.status(200, "ok").after(Duration.ofSeconds(3)));
            HostClient client = new HostClient(service.port(), SIGNING_KEY);
            List<CompletableFuture<HostClient.Answer>> answers = new ArrayList<>();
            for (int i = 0; i < CALLERS; i++) {
                String event = webhookEvent("stop-" + i, target);
                answers.add(CompletableFuture.supplyAsync(() -> client.postEvent(event), callers));
            }
            awaitRequests(target, CALLERS);

            service.process().destroy();
            Thread.sleep(500);
            HostClient.Answer late = client.get("/integrations");

            assertThat(late.status()).as(late.body()).isEqualTo(503);
            assertThat(late.header("Retry-After")).isNotNull();
            for (CompletableFuture<HostClient.Answer> answer : answers) {
                assertThat(answer.get(30, TimeUnit.SECONDS).status()).as(answer.get().body()).isEqualTo(201);
            }
            assertThat(service.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(service.process().exitValue()).as(service.output()).isZero();
            assertThat(target.requests()).hasSize(CALLERS);
            assertThat(service.output()).contains("Stopping: new requests are answered 503");
            for (int i = 0; i < CALLERS; i++) {
                assertThat(service.output()).as("the log line of event stop-" + i).contains("(id stop-" + i + ")");
            }
        }
    }

    @Test
    void http10IsAnswered505AndSilentConnectionsAreClosed() throws Exception {
        try (ServiceProcess service = start("http10", """
                  http:
                    idle-timeout: PT2S
                """)) {
            service.awaitReady();

            // The request line alone: the service answers before reading on.
            assertThat(RawHttp.exchange(service.port(), "GET /integrations HTTP/1.0\r\n", Duration.ofSeconds(5)))
                    .startsWith("HTTP/1.1 505 ").contains("proxy_http_version 1.1").endsWith("<closed>");
            assertThat(RawHttp.exchange(service.port(), "", Duration.ofSeconds(8))).isEqualTo("<closed>");
            assertThat(RawHttp.exchange(service.port(), "POST /events HTTP/1.1\r\nHost: x\r\n", Duration.ofSeconds(90)))
                    .startsWith("HTTP/1.1 408 ").endsWith("<closed>");
        }
    }

    @Test
    void nginxExampleConfigurationServesTheApi() throws Exception {
        Path example = Installation.directory().resolve("conf").resolve("nginx-example.conf");
        assertThat(Files.readString(Path.of("..", "README.md")))
                .as("the README shows the shipped example as it is")
                .contains(Files.readString(example).strip());
        try (FakeTarget target = FakeTarget.start(); ServiceProcess service = start("nginx", "");
             Nginx nginx = startWhenReady(service, example)) {
            HostClient viaNginx = new HostClient(nginx.port(), SIGNING_KEY);

            HostClient.Answer delivered = viaNginx.postEvent(webhookEvent("via-nginx", target));
            String http10 = RawHttp.exchange(nginx.port(), "GET /integrations HTTP/1.0\r\nHost: x\r\n\r\n",
                    Duration.ofSeconds(5));

            assertThat(delivered.status()).as(delivered.body()).isEqualTo(201);
            assertThat(target.requests()).hasSize(1);
            assertThat(http10).as("an HTTP/1.0 client of nginx").startsWith("HTTP/1.1 200 ").contains("webhook");
        }
    }

    private static Nginx startWhenReady(ServiceProcess service, Path example) throws Exception {
        service.awaitReady();
        return Nginx.start(temp.resolve("nginx"), Files.readString(example)
                .replace("127.0.0.1:8080", "127.0.0.1:" + service.port()));
    }

    private static ServiceProcess start(String name, String integrationsLines) throws IOException {
        Path config = Files.writeString(temp.resolve(name + ".yaml"), """
                integrations:
                  outbound:
                    allow-private-addresses: true
                  store:
                    dir: "%s"
                """.formatted(temp.resolve(name + "-data")) + integrationsLines);
        Map<String, String> environment = new HashMap<>();
        environment.put("INTEGRATIONS_SIGNING_KEY", SIGNING_KEY);
        environment.put("INTEGRATIONS_CONFIG_FILE", config.toString());
        return OUTPUT.watch(ServiceProcess.start(Installation.script(), temp, environment,
                Installation.logsDirectory().resolve("HardeningIT-" + name + ".log")));
    }

    private static String webhookEvent(String eventId, FakeTarget target) {
        return """
                {"event_type": "integration_test", "event_id": "%s",
                 "integrations": [{"key": "webhook", "settings": {"url": "%s"}}]}"""
                .formatted(eventId, target.uri("/hook"));
    }

    private static void awaitRequests(FakeTarget target, int count) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (target.requests().size() < count) {
            assertThat(Instant.now()).as("the target's requests: " + target.requests().size()).isBefore(deadline);
            Thread.sleep(20);
        }
    }
}
