package com.rainforestqa.integrations.host.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.rainforestqa.integrations.host.IntegrationsHost;
import com.rainforestqa.integrations.host.config.HostConfig;
import com.rainforestqa.integrations.testkit.HostClient;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.AfterStop;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;

import org.junit.jupiter.api.Test;

/** CORS: only configured origins, only the read endpoints, never {@code POST /events}. */
@ServerTest
class CorsTest {
    private static final String APP = "https://app.rainforestqa.com";
    private static IntegrationsHost host;

    private final HostClient client;

    CorsTest(WebServer server) {
        this.client = new HostClient(server.port(), "k");
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) throws IOException {
        host = IntegrationsHost.create(HostConfig.fromYaml("""
                integrations:
                  signing-key: k
                  cors:
                    allowed-origins: %s
                """.formatted(APP)), Files.createTempDirectory("cors-home"));
        server.routing(host::routing);
    }

    @AfterStop
    static void stop() {
        host.close();
    }

    @Test
    void allowedOriginMayReadSchemas() {
        HostClient.Answer answer = client.send(client.request("/integrations").header("Origin", APP).GET());

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("Access-Control-Allow-Origin")).isEqualTo(APP);
        assertThat(answer.header("Vary")).isEqualTo("Origin");
    }

    @Test
    void otherOriginsGetNoCorsHeaders() {
        HostClient.Answer answer = client.send(client.request("/events").header("Origin", "https://evil.example").GET());

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("Access-Control-Allow-Origin")).isNull();
    }

    @Test
    void preflightForAReadIsAnswered() {
        HostClient.Answer answer = client.send(client.request("/integrations/slack").header("Origin", APP)
                .header("Access-Control-Request-Method", "GET")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));

        assertThat(answer.status()).isEqualTo(204);
        assertThat(answer.header("Access-Control-Allow-Origin")).isEqualTo(APP);
        assertThat(answer.header("Access-Control-Allow-Methods")).isEqualTo("GET, OPTIONS");
        assertThat(answer.header("Access-Control-Allow-Headers")).isEqualTo("accept, content-type");
    }

    @Test
    void postingEventsIsNeverCrossOrigin() {
        HostClient.Answer preflight = client.send(client.request("/events").header("Origin", APP)
                .header("Access-Control-Request-Method", "POST")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
        HostClient.Answer post = client.send(client.post("{}".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .header("Origin", APP));

        assertThat(preflight.header("Access-Control-Allow-Origin")).isNull();
        assertThat(post.status()).isEqualTo(401);
        assertThat(post.header("Access-Control-Allow-Origin")).isNull();
    }
}
