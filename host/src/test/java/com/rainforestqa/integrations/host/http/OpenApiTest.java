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

/**
 * The OpenAPI document at {@code /openapi} describes exactly the routes the host registers, each answers, and the
 * routes it says need the operators' bearer token are the ones that refuse callers without it.
 */
@ServerTest
class OpenApiTest {
    private static final String TOKEN = "openapi-admin-token";

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
                  admin:
                    token: %s
                  plugins:
                    watch: false
                """.formatted(TOKEN)), home);
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
        // The delivery API's token check runs before each of its routes; it is not an endpoint of its own.
        assertThat(registered.remove("ANY /deliveries/*")).isTrue();

        assertThat(documentedRoutes()).isEqualTo(registered);
    }

    @Test
    void everyDocumentedRouteAnswersAndNoneIsTheUnknownEndpoint404() {
        for (String route : documentedRoutes()) {
            String path = path(route);
            // With the operators' token, so that the delivery API's routes answer themselves, past its token check.
            HostClient.Answer answer = api.send(request(route).header("Authorization", "Bearer " + TOKEN));

            assertThat(answer.status()).as(route).isLessThan(500).isNotIn(401, 403);
            assertThat(answer.body()).as(route).doesNotContain("no such endpoint");
            assertThat(answer.header("content-type")).as(route)
                    .startsWith(path.equals("/openapi") ? "application/yaml" : "application/json");
        }
    }

    @Test
    void everyRouteThatDeclaresTheBearerTokenRefusesCallersWithoutItAndNoOtherDoes() {
        JsonObject document = document();
        JsonObject scheme = document.getJsonObject("components").getJsonObject("securitySchemes")
                .getJsonObject("adminToken");
        assertThat(scheme.getString("type")).isEqualTo("http");
        assertThat(scheme.getString("scheme")).isEqualTo("bearer");
        Set<String> secured = new TreeSet<>();
        document.getJsonObject("paths").forEach((path, operations) -> operations.asJsonObject()
                .forEach((method, value) -> {
                    JsonObject operation = value.asJsonObject();
                    if (operation.containsKey("security")) {
                        assertThat(operation.getJsonArray("security")).as(method + " " + path)
                                .containsExactly(YamlDocuments.parse("{adminToken: []}"));
                        assertThat(operation.getJsonObject("responses").keySet()).as(method + " " + path)
                                .contains("401", "403");
                        secured.add(method.toUpperCase(Locale.ROOT) + " " + path);
                    }
                }));
        assertThat(secured).containsExactly("GET /deliveries", "GET /deliveries/{eventId}",
                "POST /deliveries/{eventId}/{integration}/retry");

        for (String route : documentedRoutes()) {
            HostClient.Answer without = api.send(request(route));
            HostClient.Answer wrong = api.send(request(route).header("Authorization", "Bearer not-" + TOKEN));

            if (secured.contains(route)) {
                assertThat(without.status()).as(route).isEqualTo(401);
                assertThat(without.header("WWW-Authenticate")).as(route).isEqualTo("Bearer");
                assertThat(without.json().asJsonObject().getString("type")).as(route).isEqualTo("unauthorized");
                assertThat(wrong.status()).as(route).isEqualTo(401);
            } else {
                assertThat(without.status()).as(route).isNotEqualTo(401);
                assertThat(wrong.status()).as(route).isNotEqualTo(401);
            }
        }
    }

    @Test
    void unknownPathIsStillTheJson404() {
        HostClient.Answer answer = api.get("/nowhere");

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.body()).contains("no such endpoint");
    }

    private Set<String> documentedRoutes() {
        Set<String> routes = new TreeSet<>();
        document().getJsonObject("paths").forEach((path, operations) -> operations.asJsonObject().keySet()
                .forEach(method -> routes.add(method.toUpperCase(Locale.ROOT) + " " + path)));
        return routes;
    }

    private JsonObject document() {
        HostClient.Answer answer = api.get("/openapi");
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonObject document = YamlDocuments.parse(answer.body()).asJsonObject();
        assertThat(document.getJsonObject("info").getString("title")).isEqualTo("Rainforest Integrations");
        return document;
    }

    /** The route's path with its parameters filled in: an integration that exists, an event that does not. */
    private static String path(String route) {
        return route.substring(route.indexOf(' ') + 1).replace("{key}", "echo").replace("{integration}", "echo")
                .replace("{eventId}", "no-such-event");
    }

    /** A request to the route, with an empty JSON object as the body of a POST. */
    private HttpRequest.Builder request(String route) {
        String method = route.substring(0, route.indexOf(' '));
        return api.request(path(route)).header("Content-Type", "application/json")
                .method(method, method.equals("POST") ? HttpRequest.BodyPublishers.ofString("{}")
                        : HttpRequest.BodyPublishers.noBody());
    }
}
