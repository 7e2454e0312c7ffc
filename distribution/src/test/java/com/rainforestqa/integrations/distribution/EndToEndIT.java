package com.rainforestqa.integrations.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import com.rainforestqa.integrations.testkit.FakeTarget;
import com.rainforestqa.integrations.testkit.RecordedRequest;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives the assembled installation over HTTP as Rainforest and its operators do: the start script runs in its own
 * process, from a working directory outside the installation, and delivers to a fake Slack on loopback; the
 * operators' endpoints answer on their own port, with the operators' token.
 */
class EndToEndIT {
    private static final String SIGNING_KEY = "end-to-end-signing-key";
    private static final String ADMIN_TOKEN = "end-to-end-operator-token";

    @RegisterExtension
    static final ServiceOutput OUTPUT = new ServiceOutput();

    @TempDir
    static Path temp;

    private static FakeTarget slack;
    private static ServiceProcess service;
    private static HttpClient client;

    @BeforeAll
    static void startService() throws IOException, InterruptedException {
        slack = FakeTarget.start();
        Path config = temp.resolve("end-to-end.yaml");
        Files.writeString(config, """
                integrations:
                  outbound:
                    allow-private-addresses: true
                plugins:
                  slack:
                    allowed-hosts: [127.0.0.1]
                """);
        Path workingDirectory = Files.createDirectory(temp.resolve("elsewhere"));
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        service = OUTPUT.watch(ServiceProcess.start(Installation.script(), workingDirectory,
                Map.of("INTEGRATIONS_SIGNING_KEY", SIGNING_KEY, "INTEGRATIONS_CONFIG_FILE", config.toString(),
                        "INTEGRATIONS_ADMIN_TOKEN", ADMIN_TOKEN),
                Installation.logsDirectory().resolve("EndToEndIT.log")));
        service.awaitReady();
    }

    /** Stops the service as an operator would, after it has served events: SIGTERM, then a prompt, clean exit. */
    @AfterAll
    static void stopService() throws InterruptedException {
        try {
            if (service != null && service.process().isAlive()) {
                assertThat(service.stop()).as(service.output()).isIn(0, 143);
            }
        } finally {
            if (service != null) {
                service.close();
            }
            if (slack != null) {
                slack.close();
            }
            if (client != null) {
                client.close();
            }
        }
    }

    @Test
    void listsTheBundledSlackIntegration() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(service.uri("/integrations")).GET());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        JsonArray schemas = Json.createReader(new StringReader(response.body())).readArray();
        Optional<JsonObject> schema = schemas.stream().map(JsonValue::asJsonObject)
                .filter(entry -> entry.getString("key").equals("slack")).findFirst();
        assertThat(schema).as(response.body()).isPresent();
        assertThat(strings(schema.get().getJsonArray("events"))).contains("run_completion");
        assertThat(schema.get().getJsonArray("settings").stream().map(JsonValue::asJsonObject)
                .map(setting -> setting.getString("key"))).contains("url");
    }

    @Test
    void everyBundledPluginIsLoadedAndDeclaresTheHostsApiVersion() throws Exception {
        HttpResponse<String> response = send(operator("/plugins"));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonObject inventory = Json.createReader(new StringReader(response.body())).readObject();
        String apiVersion = inventory.getString("api_version");
        assertThat(inventory.getJsonArray("plugins")).as(response.body()).hasSize(9).allSatisfy(entry -> {
            JsonObject plugin = entry.asJsonObject();
            assertThat(plugin.getString("status")).isEqualTo("loaded");
            assertThat(plugin.getString("api_version")).isEqualTo(apiVersion);
            assertThat(plugin.getString("version")).isEqualTo(Installation.version());
        });
    }

    @Test
    void signedEventIsDeliveredToSlack() throws Exception {
        String path = "/services/T/B/delivered";
        String body = runCompletion(slack.uri(path));

        HttpResponse<String> response = postEvent(body, Optional.of(sign(body, SIGNING_KEY)));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        JsonObject answer = json(response.body());
        // The request has no event_id: the answer names the one the service made for it.
        assertThat(answer.getString("event_id"))
                .matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(Json.createObjectBuilder(answer).remove("event_id").build()).isEqualTo(
                json("{\"status\":\"ok\",\"results\":[{\"key\":\"slack\",\"status\":\"delivered\"}]}"));
        List<RecordedRequest> received = receivedAt(path);
        assertThat(received).hasSize(1);
        RecordedRequest message = received.getFirst();
        assertThat(message.method()).isEqualTo("POST");
        assertThat(message.header("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(message.json().getJsonArray("attachments")).as(message.body()).isNotEmpty();
    }

    @Test
    void healthAndMetricsAreServedOnTheOperatorsPort() throws Exception {
        // Probes send no token.
        HttpResponse<String> health = send(HttpRequest.newBuilder(service.adminUri("/observe/health")).GET());

        assertThat(health.statusCode()).as(health.body()).isEqualTo(200);
        JsonObject status = json(health.body());
        assertThat(status.getString("status")).isEqualTo("UP");
        JsonObject plugins = status.getJsonArray("checks").getJsonObject(0);
        assertThat(plugins.getString("name")).isEqualTo("plugins");
        assertThat(plugins.getJsonObject("data").getInt("loaded")).isPositive();
        assertThat(plugins.getJsonObject("data").getInt("failed")).isZero();

        postEvent(runCompletion(slack.uri("/services/T/B/metrics")), Optional.empty());
        // The answer is counted once it is sent, which may be just after the client has read it.
        String unsigned = "integrations_events_received_total\\{[^}]*status=\"401\"";
        HttpResponse<String> metrics = send(operator("/observe/metrics"));
        for (int i = 0; i < 50 && !Pattern.compile(unsigned).matcher(metrics.body()).find(); i++) {
            Thread.sleep(100);
            metrics = send(operator("/observe/metrics"));
        }
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("# TYPE integrations_events_received_total counter")
                .containsPattern(unsigned);
    }

    @Test
    void theOperatorsEndpointsAreOnTheirOwnLoopbackPortBehindTheToken() throws Exception {
        for (String path : List.of("/plugins", "/observe/health", "/observe/metrics", "/deliveries")) {
            HttpResponse<String> onPublicPort = send(HttpRequest.newBuilder(service.uri(path))
                    .header("Authorization", "Bearer " + ADMIN_TOKEN).GET());

            assertThat(onPublicPort.statusCode()).as(path).isEqualTo(404);
            assertThat(json(onPublicPort.body()).getString("type")).as(path).isEqualTo("not_found");
        }
        for (String path : List.of("/plugins", "/observe/metrics", "/deliveries")) {
            HttpResponse<String> withoutToken = send(HttpRequest.newBuilder(service.adminUri(path)).GET());
            HttpResponse<String> withToken = send(operator(path));

            assertThat(withoutToken.statusCode()).as(path).isEqualTo(401);
            assertThat(withoutToken.headers().firstValue("WWW-Authenticate")).as(path).hasValue("Bearer");
            assertThat(withToken.statusCode()).as(path).isEqualTo(200);
        }
        assertThat(send(operator("/integrations")).statusCode()).isEqualTo(404);
        // The start line names both ports, and the operators' address: loopback unless configured.
        assertThat(service.output()).contains("listening on port " + service.port() + ", operators on 127.0.0.1 port "
                + service.adminPort() + ", with integrations [");
    }

    @Test
    void unsignedEventIsRejected() throws Exception {
        String path = "/services/T/B/unsigned";
        String body = runCompletion(slack.uri(path));

        HttpResponse<String> response = postEvent(body, Optional.empty());

        assertUnauthorized(response);
        assertThat(receivedAt(path)).isEmpty();
    }

    @Test
    void wronglySignedEventIsRejected() throws Exception {
        String path = "/services/T/B/wrongly-signed";
        String body = runCompletion(slack.uri(path));

        HttpResponse<String> response = postEvent(body, Optional.of(sign(body, "another-key")));

        assertUnauthorized(response);
        assertThat(receivedAt(path)).isEmpty();
    }

    private static void assertUnauthorized(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
        JsonObject answer = json(response.body());
        assertThat(answer.getString("status")).isEqualTo("unauthorized");
        assertThat(answer.getString("type")).isEqualTo("unauthorized");
    }

    private static String runCompletion(URI slackUrl) {
        return """
                {"event_type":"run_completion",\
                "integrations":[{"key":"slack","settings":{"url":"%s"}}],\
                "payload":{"frontend_url":"https://app.rainforestqa.com/runs/1",\
                "run":{"id":1,"environment":{"name":"QA"},"result":"passed","description":"Smoke",\
                "time_taken":65,"total_tests":3,"total_passed_tests":3,"total_failed_tests":0,\
                "total_no_result_tests":0}}}""".formatted(slackUrl);
    }

    private static HttpResponse<String> postEvent(String body, Optional<String> signature)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(service.uri("/events"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        signature.ifPresent(value -> request.header("X-Signature", value));
        return send(request);
    }

    /** A {@code GET} of the operators' socket with the operators' token. */
    private static HttpRequest.Builder operator(String path) {
        return HttpRequest.newBuilder(service.adminUri(path)).header("Authorization", "Bearer " + ADMIN_TOKEN).GET();
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return client.send(request.timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** The X-Signature Rainforest sends: lowercase hex HMAC-SHA256 of the raw body. */
    private static String sign(String body, String key) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<RecordedRequest> receivedAt(String path) {
        return slack.requests().stream().filter(request -> request.path().equals(path)).toList();
    }

    private static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }

    private static List<String> strings(JsonArray array) {
        return array.getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
    }
}
