package com.rainforestqa.integrations.plugin.teams;

import static org.assertj.core.api.Assertions.assertThat;

import com.rainforestqa.integrations.testkit.RecordedRequest;
import com.rainforestqa.integrations.testkit.Reply;
import com.rainforestqa.integrations.testkit.SamplePayloads;
import com.rainforestqa.integrations.testkit.harness.Delivery;
import com.rainforestqa.integrations.testkit.harness.PluginHarness;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Microsoft Teams plugin as the host runs it, through the test kit's harness: packed into a jar in a plugins
 * directory, loaded in its own class loader, its schema checked, and events delivered to a fake Workflows webhook
 * over HTTP.
 */
class TeamsPluginTest {
    private static final String WEBHOOK = "/workflows/0a1b/triggers/manual/paths/invoke?sig=very-secret-signature";

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
        harness.target().setDefaultReply(Reply.status(202));
    }

    @Test
    void schemaIsServedFromThePluginJarAndHasNoProblems() {
        assertThat(harness.keys()).containsExactly("microsoft_teams");
        assertThat(harness.problems()).isEmpty();
        assertThat(harness.schema("microsoft_teams")).isEqualTo(json("""
                {"key": "microsoft_teams", "title": "Microsoft Teams",
                 "events": ["run_completion", "run_error", "webhook_timeout", "run_test_failure"],
                 "settings": [{"key": "url", "title": "Teams Workflows webhook URL", "required": true,
                               "secret": true}]}"""));
        assertThat(harness.classLoader("microsoft_teams")).isNotSameAs(TeamsPluginTest.class.getClassLoader());
    }

    @ParameterizedTest
    @ValueSource(strings = {"run_completion", "run_error", "webhook_timeout", "run_test_failure", "integration_test"})
    void everyEventArrivesAsAnAdaptiveCard(String eventType) {
        Delivery delivery = harness.deliver(event(eventType, webhook()));

        assertThat(delivery.status()).as(delivery.result().toString()).isEqualTo("delivered");
        RecordedRequest received = delivery.onlyRequest();
        assertThat(received.path()).isEqualTo("/workflows/0a1b/triggers/manual/paths/invoke");
        assertThat(received.query()).isEqualTo("sig=very-secret-signature");
        assertThat(received.header("content-type")).contains("application/json");
        JsonObject attachment = received.json().getJsonArray("attachments").getJsonObject(0);
        assertThat(attachment.getString("contentType")).isEqualTo("application/vnd.microsoft.card.adaptive");
        assertThat(attachment.getJsonObject("content").getString("type")).isEqualTo("AdaptiveCard");
    }

    @Test
    void failedRunCardLinksToTheRun() {
        Delivery delivery = harness.deliver(event("run_completion", webhook()));

        JsonObject card = delivery.onlyRequest().json().getJsonArray("attachments").getJsonObject(0)
                .getJsonObject("content");
        assertThat(card.getJsonArray("body").getJsonObject(0).getString("text")).isEqualTo("Rainforest run failed");
        assertThat(card.getJsonArray("actions")).isEqualTo(json("""
                [{"type": "Action.OpenUrl", "title": "View run", "url": "https://app.rainforestqa.com/runs/7"}]"""));
    }

    @Test
    void expiredWebhookIsAUserConfigurationErrorThatNeverShowsTheUrl() {
        harness.target().setDefaultReply(Reply.json(404, "{\"error\":{\"code\":\"WorkflowNotFound\"}}"));

        Delivery delivery = harness.deliver(event("run_error", webhook()));

        assertThat(delivery.status()).isEqualTo("failed");
        assertThat(delivery.type()).contains("user_configuration_error");
        assertThat(delivery.responseCode()).hasValue(404);
        assertThat(delivery.responseBody()).contains("{\"error\":{\"code\":\"WorkflowNotFound\"}}");
        assertThat(delivery.result().toString()).doesNotContain("very-secret-signature");
        assertThat(delivery.requests()).hasSize(1);
    }

    @Test
    void office365ConnectorUrlIsRefusedWithoutSending() {
        Delivery delivery = harness.deliver(event("integration_test",
                "https://contoso.webhook.office.com/webhookb2/0a1b/IncomingWebhook/very-secret-signature/2c"));

        assertThat(delivery.status()).isEqualTo("failed");
        assertThat(delivery.type()).contains("user_configuration_error");
        assertThat(delivery.message()).hasValueSatisfying(message ->
                assertThat(message).contains("Office 365 connector").contains("Workflows"));
        assertThat(delivery.result().toString()).doesNotContain("very-secret-signature").doesNotContain("webhookb2");
        assertThat(delivery.requests()).isEmpty();
    }

    @Test
    void hostsOtherThanWorkflowsAreRefused() {
        Delivery delivery = harness.deliver(event("run_error", "https://example.com/workflows/abc"));

        assertThat(delivery.status()).isEqualTo("failed");
        assertThat(delivery.type()).contains("user_configuration_error");
        assertThat(delivery.message()).contains("setting \"url\": the URL's host example.com is not one "
                + "microsoft_teams may reach (allowed: *.environment.api.powerplatform.com, *.logic.azure.com, "
                + "127.0.0.1, localhost)");
        assertThat(delivery.requests()).isEmpty();
    }


    @Test
    void oversizedFeedbackKeepsTheCardUnderTeamsSizeLimit() {
        Delivery delivery = harness.deliver(Json.createObjectBuilder(event("run_test_failure", webhook()))
                .add("payload", SamplePayloads.oversized("run_test_failure")).build());

        assertThat(delivery.status()).as(delivery.result().toString()).isEqualTo("delivered");
        String body = delivery.onlyRequest().body();
        assertThat(body.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(28_000);
        // Java writes a lone surrogate as '?', which the oversized payload never contains.
        assertThat(body).doesNotContain("?").contains("テスター 1", "more notes in Rainforest");
    }

    private static String webhook() {
        return harness.target().uri(WEBHOOK).toString();
    }

    private static JsonObject event(String type, String url) {
        // One id per event: the host drops a repeated event_id it has delivered before.
        return json("""
                {"event_type": "%s", "event_id": "evt-%s",
                 "integrations": [{"key": "microsoft_teams", "settings": {"url": "%s"}}],
                 "payload": {"frontend_url": "https://app.rainforestqa.com/runs/7",
                   "run": {"id": 7, "description": "Nightly", "environment": {"name": "QA"}, "result": "failed",
                           "error_reason": "", "time_taken": 1503, "total_tests": 4, "total_passed_tests": 3,
                           "total_failed_tests": 1, "total_no_result_tests": 0},
                   "failed_test": {"id": 12, "title": "Login", "frontend_url": "https://app.rainforestqa.com/tests/12"},
                   "browser": {"description": "Chrome"},
                   "feedback": [{"worker_name": "Ann", "note": "button missing"}]}}
                """.formatted(type, UUID.randomUUID(), url)).asJsonObject();
    }

    private static jakarta.json.JsonStructure json(String text) {
        return Json.createReader(new StringReader(text)).read();
    }
}
