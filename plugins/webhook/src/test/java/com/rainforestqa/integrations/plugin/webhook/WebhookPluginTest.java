package com.rainforestqa.integrations.plugin.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.rainforestqa.integrations.host.IntegrationsHost;
import com.rainforestqa.integrations.host.config.HostConfig;
import com.rainforestqa.integrations.testkit.FakeTarget;
import com.rainforestqa.integrations.testkit.HostClient;
import com.rainforestqa.integrations.testkit.PluginJars;
import com.rainforestqa.integrations.testkit.RecordedRequest;
import com.rainforestqa.integrations.testkit.Reply;

import io.helidon.webserver.WebServer;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import java.io.StringReader;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Instant;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The webhook plugin as the host runs it: packed into a jar in a plugins directory, loaded in its own class loader,
 * its schema served by {@code GET /integrations}, and signed events delivered to a fake receiver over HTTP, with the
 * host's retries.
 */
class WebhookPluginTest {
    private static final String SIGNING_KEY = "webhook-test-key";
    private static final String SECRET = SigningSecretTest.SECRET;
    private static final String PAYLOAD = """
            {"frontend_url": "https://app.rainforestqa.com/runs/7",
             "run": {"id": 7, "description": "Nightly", "environment": {"name": "QA"}, "result": "failed",
                     "error_reason": "", "time_taken": 1503, "total_tests": 4, "total_passed_tests": 3,
                     "total_failed_tests": 1, "total_no_result_tests": 0},
             "failed_test": {"id": 12, "title": "Login", "frontend_url": "https://app.rainforestqa.com/tests/12"},
             "browser": {"description": "Chrome"},
             "feedback": [{"worker_name": "Ann", "note": "button missing"}]}""";

    @TempDir
    static Path home;

    private static FakeTarget receiver;
    private static IntegrationsHost host;
    private static WebServer server;
    private static HostClient client;

    @BeforeAll
    static void start() {
        PluginJars.pack(Path.of("target", "classes"), home.resolve("plugins").resolve("webhook.jar"));
        receiver = FakeTarget.start();
        host = IntegrationsHost.create(HostConfig.fromYaml("""
                server:
                  port: 0
                  host: 127.0.0.1
                integrations:
                  outbound:
                    allow-private-addresses: true
                  signing-key: %s
                  plugins:
                    strict: true
                plugins:
                  webhook:
                    allowed-hosts: [127.0.0.1]
                """.formatted(SIGNING_KEY)), home);
        server = WebServer.builder().port(0).host("127.0.0.1").routing(host::routing).build().start();
        client = new HostClient(server.port(), SIGNING_KEY);
    }

    @AfterAll
    static void stop() {
        server.stop();
        host.close();
        receiver.close();
    }

    @BeforeEach
    void reset() {
        receiver.reset();
    }

    @Test
    void schemaIsServedFromThePluginJar() {
        HostClient.Answer answer = client.get("/integrations/webhook");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json()).isEqualTo(json("""
                {"key": "webhook", "title": "Webhook",
                 "events": ["run_completion", "run_error", "webhook_timeout", "run_test_failure"],
                 "settings": [{"key": "url", "title": "Endpoint URL", "required": true, "secret": true},
                              {"key": "secret", "title": "Signing secret (whsec_...)", "secret": true}]}"""));
        assertThat(host.plugins().find("webhook").orElseThrow().classLoader())
                .isNotSameAs(WebhookPluginTest.class.getClassLoader());
    }

    @ParameterizedTest
    @ValueSource(strings = {"run_completion", "run_error", "webhook_timeout", "run_test_failure", "integration_test"})
    void everyEventArrivesSignedWithThePayloadAsReceived(String eventType) throws GeneralSecurityException {
        // One id per event: the host drops a repeated event_id it has delivered before.
        String eventId = "rf-" + eventType;
        HostClient.Answer answer = client.postEvent(event(eventType, eventId, receiver.uri("/in").toString(), SECRET));

        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        RecordedRequest received = receiver.onlyRequest();
        assertThat(received.path()).isEqualTo("/in");
        assertThat(received.header("webhook-id")).contains(eventId);
        assertThat(ReceiverVerifier.verifies(SECRET, received)).isTrue();
        JsonObject envelope = received.json();
        assertThat(envelope.keySet()).containsExactly("type", "id", "timestamp", "data");
        assertThat(envelope.getString("type")).isEqualTo(eventType);
        assertThat(envelope.getString("id")).isEqualTo(eventId);
        assertThat(envelope.getString("timestamp"))
                .isEqualTo(Instant.ofEpochSecond(
                        Long.parseLong(received.header("webhook-timestamp").orElseThrow())).toString());
        assertThat(envelope.getJsonObject("data")).isEqualTo(json(payload(eventType)));
    }

    @Test
    void retriesKeepTheWebhookIdAndAreSignedAgain() throws GeneralSecurityException {
        receiver.enqueue(Reply.status(503, "busy"), Reply.status(429, "slow down").withHeader("Retry-After", "1"));

        HostClient.Answer answer = client.postEvent(event("run_error", null, receiver.uri("/in").toString(), SECRET));

        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        assertThat(receiver.requests()).hasSize(3);
        String id = receiver.requests().getFirst().header("webhook-id").orElseThrow();
        assertThat(id).matches("evt_[0-9a-f]{64}");
        for (RecordedRequest attempt : receiver.requests()) {
            assertThat(attempt.header("webhook-id")).contains(id);
            assertThat(attempt.json().getString("id")).isEqualTo(id);
            assertThat(ReceiverVerifier.verifies(SECRET, attempt)).isTrue();
        }
    }

    @Test
    void goneEndpointIsAUserConfigurationErrorThatNeverShowsTheUrlOrSecret() {
        receiver.setDefaultReply(Reply.status(410, "gone"));

        HostClient.Answer answer = client.postEvent(
                event("run_error", "rf-gone", receiver.uri("/in?token=very-secret-token").toString(), SECRET));

        assertThat(answer.status()).isEqualTo(400);
        JsonObject body = answer.json().asJsonObject();
        assertThat(body.getString("type")).isEqualTo("user_configuration_error");
        assertThat(body.getInt("failed_response_code")).isEqualTo(410);
        assertThat(body.getString("failed_response_body")).isEqualTo("gone");
        assertThat(body.getString("error")).contains("The webhook endpoint answered 410: the endpoint is gone");
        assertThat(answer.body()).doesNotContain("very-secret-token").doesNotContain(SECRET);
        assertThat(receiver.requests()).hasSize(1);
    }

    @Test
    void redirectIsReportedAndNotFollowed() {
        receiver.enqueue(Reply.status(301).withHeader("Location", receiver.uri("/moved").toString()));

        HostClient.Answer answer = client.postEvent(event("run_error", "rf-redirect", receiver.uri("/in").toString(), null));

        assertThat(answer.status()).isEqualTo(400);
        JsonObject body = answer.json().asJsonObject();
        assertThat(body.getString("type")).isEqualTo("user_configuration_error");
        assertThat(body.getInt("failed_response_code")).isEqualTo(301);
        assertThat(receiver.onlyRequest().path()).isEqualTo("/in");
    }

    @Test
    void malformedSecretIsAUserConfigurationErrorThatNeverShowsIt() {
        HostClient.Answer answer = client.postEvent(
                event("run_error", "rf-bad-secret", receiver.uri("/in").toString(), "not-a-whsec-very-secret"));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().asJsonObject().getString("type")).isEqualTo("user_configuration_error");
        assertThat(answer.body()).doesNotContain("not-a-whsec-very-secret");
        assertThat(receiver.requests()).isEmpty();
    }

    private static String event(String type, String eventId, String url, String secret) {
        String settings = "{\"url\": \"%s\"%s}".formatted(url, secret == null ? "" : ", \"secret\": \"" + secret + "\"");
        return """
                {"event_type": "%s", %s
                 "integrations": [{"key": "webhook", "settings": %s}],
                 "payload": %s}
                """.formatted(type, eventId == null ? "" : "\"event_id\": \"" + eventId + "\",", settings,
                payload(type));
    }

    private static String payload(String type) {
        return type.equals("integration_test") ? "{}" : PAYLOAD;
    }

    private static jakarta.json.JsonStructure json(String text) {
        return Json.createReader(new StringReader(text)).read();
    }
}
