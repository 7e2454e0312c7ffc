package com.rainforestqa.integrations.plugin.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.rainforestqa.integrations.testkit.RecordedRequest;
import com.rainforestqa.integrations.testkit.Reply;
import com.rainforestqa.integrations.testkit.harness.Delivery;
import com.rainforestqa.integrations.testkit.harness.PluginHarness;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import java.io.StringReader;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Instant;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The webhook plugin as the host runs it, through the test kit's harness: packed into a jar in a plugins directory,
 * loaded in its own class loader, its schema checked, and signed events delivered to a fake receiver over HTTP, with
 * the host's retries.
 */
class WebhookPluginTest {
    private static final String SECRET = SigningSecretTest.SECRET;
    private static final String PAYLOAD = """
            {"frontend_url": "https://app.rainforestqa.com/runs/7",
             "run": {"id": 7, "description": "Nightly", "environment": {"name": "QA"}, "result": "failed",
                     "error_reason": "", "time_taken": 1503, "total_tests": 4, "total_passed_tests": 3,
                     "total_failed_tests": 1, "total_no_result_tests": 0},
             "failed_test": {"id": 12, "title": "Login", "frontend_url": "https://app.rainforestqa.com/tests/12"},
             "browser": {"description": "Chrome"},
             "feedback": [{"worker_name": "Ann", "note": "button missing"}]}""";

    private static PluginHarness harness;

    @BeforeAll
    static void start() {
        harness = PluginHarness.forClasses(Path.of("target", "classes"));
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    @BeforeEach
    void reset() {
        harness.target().reset();
    }

    @Test
    void schemaIsServedFromThePluginJarAndHasNoProblems() {
        assertThat(harness.keys()).containsExactly("webhook");
        assertThat(harness.problems()).isEmpty();
        assertThat(harness.schema("webhook")).isEqualTo(json("""
                {"key": "webhook", "title": "Webhook",
                 "events": ["run_completion", "run_error", "webhook_timeout", "run_test_failure"],
                 "settings": [{"key": "url", "title": "Endpoint URL", "required": true, "secret": true},
                              {"key": "secret", "title": "Signing secret (whsec_...)", "secret": true}]}"""));
        assertThat(harness.classLoader("webhook")).isNotSameAs(WebhookPluginTest.class.getClassLoader());
    }

    @ParameterizedTest
    @ValueSource(strings = {"run_completion", "run_error", "webhook_timeout", "run_test_failure", "integration_test"})
    void everyEventArrivesSignedWithThePayloadAsReceived(String eventType) throws GeneralSecurityException {
        // One id per event: the host drops a repeated event_id it has delivered before.
        String eventId = "rf-" + eventType;
        Delivery delivery = harness.deliver(event(eventType, eventId, url("/in"), SECRET));

        assertThat(delivery.status()).as(delivery.result().toString()).isEqualTo("delivered");
        RecordedRequest received = delivery.onlyRequest();
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
        harness.target().enqueue(Reply.status(503, "busy"),
                Reply.status(429, "slow down").withHeader("Retry-After", "1"));

        Delivery delivery = harness.deliver(event("run_error", null, url("/in"), SECRET));

        assertThat(delivery.status()).as(delivery.result().toString()).isEqualTo("delivered");
        assertThat(delivery.requests()).hasSize(3);
        String id = delivery.requests().getFirst().header("webhook-id").orElseThrow();
        // The event came without an event_id: the id the host made for it is the webhook-id of every attempt.
        assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        for (RecordedRequest attempt : delivery.requests()) {
            assertThat(attempt.header("webhook-id")).contains(id);
            assertThat(attempt.json().getString("id")).isEqualTo(id);
            assertThat(ReceiverVerifier.verifies(SECRET, attempt)).isTrue();
        }
    }

    @Test
    void goneEndpointIsAUserConfigurationErrorThatNeverShowsTheUrlOrSecret() {
        harness.target().setDefaultReply(Reply.status(410, "gone"));

        Delivery delivery = harness.deliver(event("run_error", "rf-gone", url("/in?token=very-secret-token"), SECRET));

        assertThat(delivery.status()).isEqualTo("failed");
        assertThat(delivery.type()).contains("user_configuration_error");
        assertThat(delivery.responseCode()).hasValue(410);
        assertThat(delivery.responseBody()).contains("gone");
        assertThat(delivery.message()).hasValueSatisfying(message ->
                assertThat(message).contains("The webhook endpoint answered 410: the endpoint is gone"));
        assertThat(delivery.result().toString()).doesNotContain("very-secret-token").doesNotContain(SECRET);
        assertThat(delivery.requests()).hasSize(1);
    }

    @Test
    void redirectIsReportedAndNotFollowed() {
        harness.target().enqueue(Reply.status(301).withHeader("Location", url("/moved")));

        Delivery delivery = harness.deliver(event("run_error", "rf-redirect", url("/in"), null));

        assertThat(delivery.status()).isEqualTo("failed");
        assertThat(delivery.type()).contains("user_configuration_error");
        assertThat(delivery.responseCode()).hasValue(301);
        assertThat(delivery.onlyRequest().path()).isEqualTo("/in");
    }

    @Test
    void malformedSecretIsAUserConfigurationErrorThatNeverShowsIt() {
        Delivery delivery = harness.deliver(
                event("run_error", "rf-bad-secret", url("/in"), "not-a-whsec-very-secret"));

        assertThat(delivery.status()).isEqualTo("failed");
        assertThat(delivery.type()).contains("user_configuration_error");
        assertThat(delivery.result().toString()).doesNotContain("not-a-whsec-very-secret");
        assertThat(delivery.requests()).isEmpty();
    }

    private static JsonObject event(String type, String eventId, String url, String secret) {
        JsonObjectBuilder settings = Json.createObjectBuilder().add("url", url);
        if (secret != null) {
            settings.add("secret", secret);
        }
        JsonObjectBuilder event = Json.createObjectBuilder().add("event_type", type);
        if (eventId != null) {
            event.add("event_id", eventId);
        }
        return event
                .add("integrations", Json.createArrayBuilder()
                        .add(Json.createObjectBuilder().add("key", "webhook").add("settings", settings)))
                .add("payload", json(payload(type)))
                .build();
    }

    private static String url(String path) {
        return harness.target().uri(path).toString();
    }

    private static String payload(String type) {
        return type.equals("integration_test") ? "{}" : PAYLOAD;
    }

    private static jakarta.json.JsonStructure json(String text) {
        return Json.createReader(new StringReader(text)).read();
    }
}
