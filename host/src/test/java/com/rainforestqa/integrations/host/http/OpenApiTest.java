package com.rainforestqa.integrations.host.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.rainforestqa.integrations.host.IntegrationsHost;
import com.rainforestqa.integrations.host.config.HostConfig;
import com.rainforestqa.integrations.host.config.YamlDocuments;
import com.rainforestqa.integrations.host.testing.RouteRecorder;
import com.rainforestqa.integrations.host.testing.TestPlugins;
import com.rainforestqa.integrations.host.testing.TestServer;
import com.rainforestqa.integrations.testkit.HostClient;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.AfterStop;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document at {@code /openapi} describes exactly the routes the host registers, on the socket that serves
 * them, each answers there, and the routes it says need the operators' bearer token are the ones that refuse callers
 * without it.
 */
@ServerTest
class OpenApiTest {
    private static final String TOKEN = "openapi-admin-token";

    private static IntegrationsHost host;

    private final HostClient api;
    private final HostClient admin;

    OpenApiTest(WebServer server) {
        this.api = new HostClient(server.port(), "unused");
        this.admin = new HostClient(TestServer.adminPort(server), "unused");
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
    void documentDescribesEveryRouteTheHostRegistersAndNoOther() {
        RouteRecorder publicRoutes = new RouteRecorder();
        host.routing(publicRoutes);
        Set<String> registered = new TreeSet<>(publicRoutes.routes());
        // The catch-all answers unknown paths with a JSON 404; it is not an endpoint.
        assertThat(registered.remove("ANY *")).isTrue();
        // Each path answers the methods it does not serve with a 405; those are not endpoints either.
        assertThat(registered.removeIf(route -> route.startsWith("ANY /"))).isTrue();
        RouteRecorder adminRoutes = new RouteRecorder();
        host.adminRouting(adminRoutes);
        Set<String> operators = new TreeSet<>(adminRoutes.routes());
        assertThat(operators.remove("ANY *")).isTrue();
        // The metrics are documented in the README, next to the health check, not in the API.
        assertThat(operators.remove("GET /observe/metrics")).isTrue();
        // The delivery API's token check runs before each of its routes; it is not an endpoint of its own.
        assertThat(operators.remove("ANY /deliveries/*")).isTrue();

        assertThat(documentedRoutes(false)).isEqualTo(registered);
        assertThat(documentedRoutes(true)).isEqualTo(operators);
    }

    @Test
    void theOperatorsServerIsTheAdminSocketOnLoopbackPort8081() {
        JsonObject plugins = document().getJsonObject("paths").getJsonObject("/plugins");

        JsonObject server = plugins.getJsonArray("servers").getJsonObject(0);
        assertThat(server.getString("url")).isEqualTo("http://{host}:{port}");
        assertThat(server.getJsonObject("variables").getJsonObject("host").getString("default"))
                .isEqualTo("127.0.0.1");
        assertThat(server.getJsonObject("variables").getJsonObject("port").getString("default")).isEqualTo("8081");
        assertThat(document().containsKey("servers")).as("the public API is served where the document is").isFalse();
    }

    @Test
    void everyDocumentedRouteAnswersOnItsSocketAndNoneIsTheUnknownEndpoint404() {
        Set<String> operators = documentedRoutes(true);
        for (String route : documentedRoutes()) {
            String path = path(route);
            HostClient client = operators.contains(route) ? admin : api;
            HostClient other = operators.contains(route) ? api : admin;
            // With the operators' token, so that the delivery API's routes answer themselves, past its token check.
            HostClient.Answer answer = client.send(request(client, route)
                    .header("Authorization", "Bearer " + TOKEN));
            HostClient.Answer elsewhere = other.send(request(other, route)
                    .header("Authorization", "Bearer " + TOKEN));

            assertThat(answer.status()).as(route).isLessThan(500).isNotIn(401, 403);
            assertThat(answer.body()).as(route).doesNotContain("no such endpoint");
            assertThat(answer.header("content-type")).as(route)
                    .startsWith(path.equals("/openapi") ? "application/yaml" : "application/json");
            assertThat(elsewhere.status()).as("%s on the other socket", route).isEqualTo(404);
            assertThat(elsewhere.body()).as("%s on the other socket", route).contains("no such endpoint");
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
        Set<String> required = new TreeSet<>();
        operations(document).forEach((route, operation) -> {
            if (operation.containsKey("security")) {
                JsonValue token = YamlDocuments.parse("{adminToken: []}");
                JsonValue none = YamlDocuments.parse("{}");
                assertThat(operation.getJsonArray("security")).as(route).contains(token)
                        .allMatch(requirement -> requirement.equals(token) || requirement.equals(none));
                assertThat(operation.getJsonObject("responses").keySet()).as(route).contains("401");
                secured.add(route);
                if (!operation.getJsonArray("security").contains(none)) {
                    // Needed even without a configured token: the endpoint is off then.
                    assertThat(operation.getJsonObject("responses").keySet()).as(route).contains("403");
                    required.add(route);
                }
            }
        });
        // Every operators' endpoint; the delivery API even when no token is configured.
        assertThat(secured).isEqualTo(documentedRoutes(true));
        assertThat(required).containsExactly("GET /deliveries", "GET /deliveries/{eventId}",
                "POST /deliveries/{eventId}/{integration}/retry");

        Set<String> operators = documentedRoutes(true);
        for (String route : documentedRoutes()) {
            HostClient client = operators.contains(route) ? admin : api;
            HostClient.Answer without = client.send(request(client, route));
            HostClient.Answer wrong = client.send(request(client, route)
                    .header("Authorization", "Bearer not-" + TOKEN));

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
        return operations(document()).keySet();
    }

    /** The documented routes that the operators' server serves, or those the public port serves. */
    private Set<String> documentedRoutes(boolean operators) {
        Set<String> routes = new TreeSet<>();
        document().getJsonObject("paths").forEach((path, item) -> {
            if (item.asJsonObject().containsKey("servers") == operators) {
                item.asJsonObject().keySet().stream().filter(OpenApiTest::isMethod)
                        .forEach(method -> routes.add(method.toUpperCase(Locale.ROOT) + " " + path));
            }
        });
        return routes;
    }

    /** Each operation of the document by its route, {@code "GET /integrations"}. */
    private static Map<String, JsonObject> operations(JsonObject document) {
        Map<String, JsonObject> operations = new TreeMap<>();
        document.getJsonObject("paths").forEach((path, item) -> item.asJsonObject().forEach((key, value) -> {
            if (isMethod(key)) {
                operations.put(key.toUpperCase(Locale.ROOT) + " " + path, value.asJsonObject());
            }
        }));
        return operations;
    }

    /** Whether a key of a path item names an operation rather than {@code servers} or {@code parameters}. */
    private static boolean isMethod(String key) {
        return Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace").contains(key);
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
    private static HttpRequest.Builder request(HostClient client, String route) {
        String method = route.substring(0, route.indexOf(' '));
        return client.request(path(route)).header("Content-Type", "application/json")
                .method(method, method.equals("POST") ? HttpRequest.BodyPublishers.ofString("{}")
                        : HttpRequest.BodyPublishers.noBody());
    }
}
