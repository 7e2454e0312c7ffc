package com.rainforestqa.integrations.host.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.rainforestqa.integrations.host.IntegrationsHost;
import com.rainforestqa.integrations.host.config.HostConfig;
import com.rainforestqa.integrations.host.config.YamlDocuments;
import com.rainforestqa.integrations.host.testing.RouteRecorder;
import com.rainforestqa.integrations.host.testing.TestPlugins;
import com.rainforestqa.integrations.testkit.HostClient;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.AfterStop;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import jakarta.json.JsonObject;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

/** The OpenAPI document at {@code /openapi} describes exactly the routes the host registers, and each answers. */
@ServerTest
class OpenApiTest {
    private static IntegrationsHost host;

    private final HostClient api;

    OpenApiTest(WebServer server) {
        this.api = new HostClient(server.port(), "unused");
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) throws IOException {
        Path home = Files.createTempDirectory("integrations-home");
        TestPlugins.echo(home.resolve("plugins").resolve("echo.jar"));
        host = IntegrationsHost.create(HostConfig.fromYaml("""
                integrations:
                  require-signature: false
                  plugins:
                    watch: false
                """), home);
        server.routing(host::routing);
    }

    @AfterStop
    static void stop() {
        host.close();
    }

    @Test
    void documentDescribesEveryRouteTheHostRegistersAndNoOther() {
        RouteRecorder recorder = new RouteRecorder();
        host.routing(recorder);
        Set<String> registered = new TreeSet<>(recorder.routes());
        // The catch-all answers unknown paths with a JSON 404; it is not an endpoint.
        assertThat(registered.remove("ANY *")).isTrue();
        // The operators' endpoints are documented in the README, next to the health check, not in the API.
        assertThat(registered.remove("GET /observe/metrics")).isTrue();

        assertThat(documentedRoutes()).isEqualTo(registered);
    }

    @Test
    void everyDocumentedRouteAnswersAndNoneIsTheUnknownEndpoint404() {
        for (String route : documentedRoutes()) {
            String method = route.substring(0, route.indexOf(' '));
            String path = route.substring(route.indexOf(' ') + 1).replace("{key}", "echo");
            HttpRequest.Builder request = api.request(path).header("Content-Type", "application/json")
                    .method(method, method.equals("POST") ? HttpRequest.BodyPublishers.ofString("{}")
                            : HttpRequest.BodyPublishers.noBody());

            HostClient.Answer answer = api.send(request);

            assertThat(answer.status()).as(route).isLessThan(500);
            assertThat(answer.body()).as(route).doesNotContain("no such endpoint");
            assertThat(answer.header("content-type")).as(route)
                    .startsWith(path.equals("/openapi") ? "application/yaml" : "application/json");
        }
    }

    @Test
    void unknownPathIsStillTheJson404() {
        HostClient.Answer answer = api.get("/nowhere");

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.body()).contains("no such endpoint");
    }

    private Set<String> documentedRoutes() {
        HostClient.Answer answer = api.get("/openapi");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonObject document = YamlDocuments.parse(answer.body()).asJsonObject();
        assertThat(document.getJsonObject("info").getString("title")).isEqualTo("Rainforest Integrations");
        Set<String> routes = new TreeSet<>();
        document.getJsonObject("paths").forEach((path, operations) -> operations.asJsonObject().keySet()
                .forEach(method -> routes.add(method.toUpperCase(Locale.ROOT) + " " + path)));
        return routes;
    }
}
