package com.rainforestqa.integrations.host.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rainforestqa.integrations.host.IntegrationsHost;
import com.rainforestqa.integrations.host.config.HostConfig;
import com.rainforestqa.integrations.host.testing.TestPlugins;
import com.rainforestqa.integrations.host.testing.TestServer;
import com.rainforestqa.integrations.testkit.HostClient;
import com.rainforestqa.integrations.testkit.RawHttp;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.AfterStop;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The operators' surface with {@code integrations.admin.token} set: on its own socket, not on the public port, and
 * behind the token, except the health check that probes call.
 */
@ServerTest
class AdminSocketTest {
    private static final String TOKEN = "admin-socket-token-7c1e";
    private static final List<String> OPERATOR_PATHS = List.of("/plugins", "/observe/metrics", "/deliveries",
            "/deliveries/some-event");

    private static IntegrationsHost host;

    private final HostClient api;
    private final HostClient admin;
    private final int apiPort;
    private final int adminPort;

    AdminSocketTest(WebServer server) {
        this.apiPort = server.port();
        this.api = new HostClient(apiPort, "unused");
        this.adminPort = TestServer.adminPort(server);
        this.admin = new HostClient(adminPort, "unused");
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) throws IOException {
        Path home = Files.createTempDirectory("integrations-home");
        TestPlugins.echo(home.resolve("plugins").resolve("echo.jar"));
        host = IntegrationsHost.create(HostConfig.fromYaml("""
                integrations:
                  require-signature: false
                  admin:
                    token: %s
                  plugins:
                    watch: false
                """.formatted(TOKEN)), home);
        TestServer.serve(server, host);
    }

    @AfterStop
    static void stop() {
        host.close();
    }

    @Test
    void thePublicPortServesTheApiAlone() {
        for (String path : List.of("/plugins", "/observe/metrics", "/observe/health", "/observe/health/live",
                "/deliveries", "/deliveries/some-event")) {
            HostClient.Answer answer = api.send(api.request(path).header("Authorization", "Bearer " + TOKEN).GET());

            assertThat(answer.status()).as(path).isEqualTo(404);
            assertThat(answer.json()).as(path).isEqualTo(EventsApiTest.json("""
                    {"error": "no such endpoint", "type": "not_found"}"""));
        }
        assertThat(api.get("/integrations").status()).isEqualTo(200);
        assertThat(api.get("/events").status()).isEqualTo(200);
        assertThat(api.get("/openapi").status()).isEqualTo(200);
    }

    @Test
    void theOperatorsSocketServesNoneOfThePublicApi() {
        for (String path : List.of("/integrations", "/events", "/openapi")) {
            assertThat(authorized(path).status()).as(path).isEqualTo(404);
        }
    }

    @Test
    void everyOperatorsEndpointRefusesCallersWithoutTheToken() {
        for (String path : OPERATOR_PATHS) {
            HostClient.Answer missing = admin.get(path);
            HostClient.Answer wrong = admin.send(admin.request(path).header("Authorization", "Bearer not-" + TOKEN)
                    .GET());
            HostClient.Answer otherScheme = admin.send(admin.request(path).header("Authorization", "Basic " + TOKEN)
                    .GET());

            assertThat(missing.status()).as(path).isEqualTo(401);
            assertThat(missing.header("WWW-Authenticate")).as(path).isEqualTo("Bearer");
            assertThat(missing.json()).as(path).isEqualTo(EventsApiTest.json("""
                    {"status": "unauthorized", "error": "the Authorization: Bearer header is missing",
                     "type": "unauthorized"}"""));
            assertThat(wrong.status()).as(path).isEqualTo(401);
            assertThat(wrong.json().asJsonObject().getString("error")).as(path).isEqualTo("the bearer token is wrong");
            assertThat(otherScheme.status()).as(path).isEqualTo(401);
        }
    }

    @Test
    void everyOperatorsEndpointAnswersCallersWithTheToken() {
        assertThat(authorized("/plugins").status()).isEqualTo(200);
        assertThat(authorized("/plugins").json().asJsonObject().getJsonArray("plugins")).hasSize(1);
        assertThat(authorized("/observe/metrics").status()).isEqualTo(200);
        assertThat(authorized("/observe/metrics").body())
                .contains("# TYPE integrations_queued_oldest_age_seconds gauge");
        assertThat(authorized("/deliveries").status()).isEqualTo(200);
        assertThat(authorized("/deliveries/some-event").status()).isEqualTo(404);
        // The scheme's name is case-insensitive (RFC 9110, section 11.1).
        assertThat(admin.send(admin.request("/plugins").header("Authorization", "bearer " + TOKEN).GET()).status())
                .isEqualTo(200);
    }

    @Test
    void healthNeedsNoTokenSoThatProbesReachIt() {
        for (String path : List.of("/observe/health", "/observe/health/ready", "/observe/health/live",
                "/observe/health/started")) {
            HostClient.Answer answer = admin.get(path);

            assertThat(answer.status()).as(path).isIn(200, 204);
        }
        assertThat(admin.get("/observe/health").json().asJsonObject().getString("status")).isEqualTo("UP");
    }

    @Test
    void aPathThatOnlyStartsLikeTheHealthCheckStillNeedsTheToken() throws IOException {
        for (String path : List.of("/observe/health/../../plugins", "/observe/health/%2e%2e/%2e%2e/plugins",
                "/observe/health/..%2f..%2fplugins", "/observe/health/../metrics", "/observe/health/../../deliveries",
                "/observe/healthy/../metrics", "//observe/health/../../plugins")) {
            String answer = raw("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n");

            assertThat(answer).as(path).containsPattern("^HTTP/1.1 (401|404) ").doesNotContain("\"plugins\"")
                    .doesNotContain("integrations_queued_oldest_age_seconds");
        }
    }

    @Test
    void aWriteToTheHealthCheckNeedsTheToken() {
        HostClient.Answer answer = admin.send(admin.request("/observe/health")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")));

        assertThat(answer.status()).isEqualTo(401);
    }

    @Test
    void bothSocketsCloseAConnectionTheClientAskedToClose() throws IOException {
        // A client that reads to the end of the connection, as probes do, waits for the server to close it. The web
        // server itself would wait for the next request until the idle timeout (60 s here), so a connection the host
        // did not close reads as <open> after 3 s. Every kind of answer: a route's, a 404, the health check's, and
        // on the operators' socket the token's 401, which its filter sends.
        for (String request : List.of("GET /integrations", "GET /observe/health")) {
            assertThat(RawHttp.exchange(apiPort, closing(request, ""), Duration.ofSeconds(3)))
                    .as("public %s", request).matches("(?s)HTTP/1.1 (200|404) .*").endsWith(RawHttp.CLOSED);
        }
        String bearer = "Authorization: Bearer " + TOKEN + "\r\n";
        for (String request : List.of("GET /observe/health", "GET /plugins", "GET /observe/metrics",
                "GET /deliveries", "GET /no-such-endpoint")) {
            for (String authorization : List.of("", bearer)) {
                assertThat(RawHttp.exchange(adminPort, closing(request, authorization), Duration.ofSeconds(3)))
                        .as("operators' %s %s", request, authorization.isEmpty() ? "without the token" : "with it")
                        .matches("(?s)HTTP/1.1 (200|401|404) .*").endsWith(RawHttp.CLOSED);
            }
        }
    }

    @Test
    void aServerWithoutTheOperatorsSocketIsRefused() {
        assertThatThrownBy(() -> host.serve(WebServer.builder()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the server has no socket named admin for the operators' endpoints");
    }

    private static String closing(String requestLine, String headers) {
        return requestLine + " HTTP/1.1\r\nHost: localhost\r\n" + headers + "Connection: close\r\n\r\n";
    }

    private HostClient.Answer authorized(String path) {
        return admin.send(admin.request(path).header("Authorization", "Bearer " + TOKEN).GET());
    }

    /**
     * Sends the bytes as they are, paths with dot segments included, and reads one answer: its head, and as much of
     * its body as {@code Content-Length} says.
     */
    private String raw(String request) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), adminPort)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder head = new StringBuilder();
            while (head.indexOf("\r\n\r\n") < 0) {
                int next = in.read();
                if (next < 0) {
                    return head.toString();
                }
                head.append((char) next);
            }
            Matcher length = Pattern.compile("(?im)^content-length:\\s*(\\d+)").matcher(head);
            byte[] body = length.find() ? in.readNBytes(Integer.parseInt(length.group(1))) : new byte[0];
            return head + new String(body, StandardCharsets.UTF_8);
        }
    }
}
