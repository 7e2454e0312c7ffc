package com.rainforestqa.integrations.host.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.rainforestqa.integrations.host.IntegrationsHost;
import com.rainforestqa.integrations.host.config.HostConfig;
import com.rainforestqa.integrations.host.testing.TestPlugins;
import com.rainforestqa.integrations.testkit.FakeTarget;
import com.rainforestqa.integrations.testkit.HostClient;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.AfterStop;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code integrations.require-timestamp: true} with a tolerance of one minute: a signed event must carry
 * {@code X-Signature-Timestamp}, signed with the body, within the configured tolerance.
 */
@ServerTest
class RequiredTimestampTest {
    private static final String KEY = "timestamp-signing-key";

    private static FakeTarget target;
    private static IntegrationsHost host;

    private final HostClient api;

    RequiredTimestampTest(WebServer server) {
        this.api = new HostClient(server.port(), KEY);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) throws IOException {
        target = FakeTarget.start();
        Path home = Files.createTempDirectory("integrations-home");
        TestPlugins.echo(home.resolve("plugins").resolve("echo.jar"));
        host = IntegrationsHost.create(HostConfig.fromYaml("""
                integrations:
                  signing-key: %s
                  require-timestamp: true
                  signature:
                    tolerance: PT1M
                  store:
                    type: memory
                  plugins:
                    watch: false
                  outbound:
                    allow-private-addresses: true
                """.formatted(KEY)), home);
        server.routing(host::routing);
    }

    @AfterStop
    static void stop() {
        host.close();
        target.close();
    }

    @BeforeEach
    void resetTarget() {
        target.reset();
    }

    @Test
    void eventSignedWithoutATimestampIsRefused() {
        HostClient.Answer answer = api.postEvent(event());

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.json()).isEqualTo(EventsApiTest.json("""
                {"status": "unauthorized", "type": "unauthorized",
                 "error": "the X-Signature-Timestamp header is missing; this server requires it, and the X-Signature over the timestamp, \\".\\" and the body"}"""));
        assertThat(target.requests()).isEmpty();
    }

    @Test
    void eventSignedWithATimestampIsDelivered() {
        HostClient.Answer answer = postAt(Instant.now().getEpochSecond());

        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        assertThat(target.requests()).hasSize(1);
    }

    @Test
    void configuredToleranceDecidesWhatIsStale() {
        long now = Instant.now().getEpochSecond();

        HostClient.Answer stale = postAt(now - 90);
        HostClient.Answer fresh = postAt(now - 30);

        assertThat(stale.status()).isEqualTo(401);
        assertThat(stale.json().asJsonObject().getString("error")).endsWith("at most 60 s is accepted");
        assertThat(fresh.status()).as(fresh.body()).isEqualTo(201);
        assertThat(target.requests()).hasSize(1);
    }

    private HostClient.Answer postAt(long timestamp) {
        byte[] body = event().getBytes(StandardCharsets.UTF_8);
        return api.send(api.post(body).header("X-Signature", HostClient.sign(KEY, timestamp, body))
                .header("X-Signature-Timestamp", Long.toString(timestamp)));
    }

    private static String event() {
        return """
                {"event_type": "integration_test",
                 "integrations": [{"key": "echo", "settings": {"url": "%s"}}]}""".formatted(target.uri("/hook"));
    }
}
