package com.rainforestqa.integrations.host.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.rainforestqa.integrations.host.IntegrationsHost;
import com.rainforestqa.integrations.host.config.HostConfig;
import com.rainforestqa.integrations.host.testing.LogCapture;
import com.rainforestqa.integrations.host.testing.TestPlugins;
import com.rainforestqa.integrations.host.testing.TestServer;
import com.rainforestqa.integrations.testkit.RawHttp;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.AfterStop;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the server does with requests a well-behaved client never sends, over raw sockets: stalls, malformed framing
 * and headers, {@code Connection: close}, unknown methods. (HTTP/1.0 and connections that never send a byte are
 * covered against the installation, by {@code HardeningIT}.) Nothing is a 500, nothing logs a
 * warning, and every answer is JSON.
 */
@ServerTest
class HttpHardeningTest {
    private static final String BODY = "{\"event_type\":\"integration_test\",\"integrations\":[]}";

    private static IntegrationsHost host;

    private final int port;

    HttpHardeningTest(WebServer server) {
        this.port = server.port();
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) throws IOException {
        Path home = Files.createTempDirectory("integrations-home");
        TestPlugins.echo(home.resolve("plugins").resolve("echo.jar"));
        host = IntegrationsHost.create(HostConfig.fromYaml("""
                integrations:
                  require-signature: false
                  store:
                    type: memory
                  http:
                    header-timeout: PT1S
                    body-timeout: PT1S
                    idle-timeout: PT2S
                """), home);
        TestServer.serve(server, host);
    }

    @AfterStop
    static void stop() {
        host.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "POST /events HTTP/1.1\r\nHost: x\r\n",
        "POST /events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{",
        "POST /events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"a\":"
    })
    void stalledRequestIsAnswered408AndClosed(String start) throws IOException {
        try (LogCapture logs = LogCapture.start()) {
            String answer = exchange(start, 5000);

            assertThat(answer).startsWith("HTTP/1.1 408 ").contains("\"type\":\"request_timeout\"").endsWith("<closed>");
            assertThat(logs.text()).doesNotContain("io.helidon.webserver", "Unexpected");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"json", "application/json;", ";", "/", "application/json; charset"})
    void malformedContentTypeIs400(String contentType) throws IOException {
        String answer = exchange(post("Content-Type: " + contentType + "\r\nContent-Length: " + BODY.length(), BODY),
                2000);

        assertThat(answer).startsWith("HTTP/1.1 400 ").contains("\"type\":\"invalid_request\"");
    }

    @ParameterizedTest
    @ValueSource(strings = {"zz", "-2", "ffffffffffffffffffffff", "5;"})
    void malformedChunkIs400AndCloses(String size) throws IOException {
        String chunk = size.equals("5;") ? "5;" + "a".repeat(100_000) : size;
        String answer = exchange(post("Content-Type: application/json\r\nTransfer-Encoding: chunked",
                chunk + "\r\n{\"a\":\r\n0\r\n\r\n"), 5000);

        assertThat(answer).startsWith("HTTP/1.1 400 ").contains("chunked").endsWith("<closed>");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "PO\u0001ST /events HTTP/1.1\r\nHost: x\r\n\r\n",
        "GET /integrations HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n",
        "POST /events HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
        "GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n"
    })
    void malformedRequestIsJson400(String request) throws IOException {
        try (LogCapture logs = LogCapture.start()) {
            String answer = exchange(request, 2000);

            assertThat(answer).startsWith("HTTP/1.1 400 ").contains("Content-Type: application/json")
                    .contains("\"type\":\"invalid_request\"").endsWith("<closed>");
            assertThat(logs.text()).doesNotContain("io.helidon.webserver", "Unexpected");
        }
    }

    @Test
    void clientGoneMidRequestLogsNoWarning() throws IOException {
        try (LogCapture logs = LogCapture.start()) {
            for (String half : List.of("POST /events HTTP/1.1\r\nHost: x\r\nContent-Le",
                    "POST /events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10\r\n\r\n{",
                    "POST /eve")) {
                try (Socket socket = new Socket("127.0.0.1", port)) {
                    socket.getOutputStream().write(half.getBytes(StandardCharsets.ISO_8859_1));
                }
            }
            // A request after them shows the server has dealt with them.
            assertThat(exchange("GET /integrations HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 2000))
                    .startsWith("HTTP/1.1 200 ");
            assertThat(logs.text()).doesNotContain("io.helidon.webserver", "Unexpected");
        }
    }

    @Test
    void connectionCloseIsHonoured() throws IOException {
        String answer = exchange("GET /integrations HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 3000);

        assertThat(answer).startsWith("HTTP/1.1 200 ").endsWith("<closed>");
    }

    @Test
    void keepAliveConnectionStaysOpenBetweenRequests() throws IOException {
        String answer = exchange("GET /integrations HTTP/1.1\r\nHost: x\r\n\r\n", 500);

        assertThat(answer).startsWith("HTTP/1.1 200 ").endsWith("<open>");
    }

    @ParameterizedTest
    @ValueSource(strings = {"PUT /events", "DELETE /events", "POST /integrations", "PATCH /integrations/echo",
        "DELETE /openapi"})
    void unservedMethodIs405WithAllow(String line) throws IOException {
        String answer = exchange(line + " HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                2000);

        assertThat(answer).startsWith("HTTP/1.1 405 ").containsPattern("(?i)allow: GET")
                .contains("\"type\":\"method_not_allowed\"");
    }

    private static String post(String headers, String body) {
        return "POST /events HTTP/1.1\r\nHost: x\r\n" + headers + "\r\n\r\n" + body;
    }

    private String exchange(String request, int waitMillis) throws IOException {
        return RawHttp.exchange(port, request, Duration.ofMillis(waitMillis));
    }
}
