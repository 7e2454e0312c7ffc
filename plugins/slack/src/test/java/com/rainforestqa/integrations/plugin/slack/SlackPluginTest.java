package com.rainforestqa.integrations.plugin.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.rainforestqa.integrations.testkit.RecordedRequest;
import com.rainforestqa.integrations.testkit.Reply;
import com.rainforestqa.integrations.testkit.SamplePayloads;
import com.rainforestqa.integrations.testkit.harness.Delivery;
import com.rainforestqa.integrations.testkit.harness.PluginHarness;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import java.io.StringReader;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Slack plugin as the host runs it, through the test kit's harness: packed into a jar in a plugins directory,
 * loaded in its own class loader, its schema checked, and events delivered by the host to a fake Slack over HTTP.
 */
class SlackPluginTest {
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
        assertThat(harness.keys()).containsExactly("slack");
        assertThat(harness.problems()).isEmpty();
        assertThat(harness.schema("slack")).isEqualTo(json("""
                {"key": "slack", "title": "Slack",
                 "events": ["run_completion", "run_error", "webhook_timeout", "run_test_failure"],
                 "settings": [{"key": "url", "title": "Slack webhook URL", "required": true, "secret": true}]}"""));
        assertThat(harness.classLoader("slack")).isNotSameAs(SlackPluginTest.class.getClassLoader());
    }

    @ParameterizedTest
    @ValueSource(strings = {"run_completion", "run_error", "webhook_timeout", "run_test_failure", "integration_test"})
    void everyEventArrivesAsAnAttachment(String eventType) {
        Delivery delivery = harness.deliver(eventType, Map.of("url", url("/services/T1/B2/abc")),
                SamplePayloads.complete(eventType));

        assertThat(delivery.status()).as(delivery.result().toString()).isEqualTo("delivered");
        RecordedRequest received = delivery.onlyRequest();
        assertThat(received.path()).isEqualTo("/services/T1/B2/abc");
        assertThat(received.header("content-type")).contains("application/json");
        JsonObject attachment = received.json().getJsonArray("attachments").getJsonObject(0);
        assertThat(attachment.getString("color")).isIn("good", "danger");
        assertThat(attachment.getString("fallback")).isNotBlank().doesNotContain("<http");
    }

    @ParameterizedTest
    @ValueSource(strings = {"run_completion", "run_error", "webhook_timeout", "run_test_failure", "integration_test"})
    void minimalPayloadsAreDeliveredToo(String eventType) {
        Delivery delivery = harness.deliver(eventType, Map.of("url", url("/services/T1/B2/abc")),
                SamplePayloads.minimal(eventType));

        assertThat(delivery.status()).as(delivery.result().toString()).isEqualTo("delivered");
        assertThat(delivery.requests()).hasSize(1);
    }

    @Test
    void slackRejectingTheWebhookIsAUserConfigurationErrorThatNeverShowsTheUrl() {
        harness.target().setDefaultReply(Reply.slackError(404, "no_service"));

        Delivery delivery = harness.deliver("run_error", Map.of("url", url("/services/T1/B2/very-secret-token")),
                SamplePayloads.complete("run_error"));

        assertThat(delivery.status()).isEqualTo("failed");
        assertThat(delivery.type()).contains("user_configuration_error");
        assertThat(delivery.responseCode()).hasValue(404);
        assertThat(delivery.responseBody()).contains("no_service");
        assertThat(delivery.result().toString()).doesNotContain("very-secret-token");
    }

    @Test
    void aMissingUrlIsAMisconfiguredIntegrationAndNothingIsSent() {
        Delivery delivery = harness.deliver("run_error", Map.of(), SamplePayloads.complete("run_error"));

        assertThat(delivery.type()).contains("misconfigured_integration");
        assertThat(delivery.message()).contains("missing required settings: url");
        assertThat(delivery.requests()).isEmpty();
    }

    @Test
    void hostsOtherThanSlacksAreRefused() {
        Delivery delivery = harness.deliver("run_error", Map.of("url", "https://example.com/services/T1/B2/abc"),
                SamplePayloads.complete("run_error"));

        assertThat(delivery.type()).contains("user_configuration_error");
        assertThat(delivery.message()).contains("setting \"url\": the URL's host example.com is not one slack may reach "
                + "(allowed: 127.0.0.1, hooks.slack.com, localhost)");
        assertThat(delivery.requests()).isEmpty();
    }


    @Test
    void oversizedFeedbackKeepsTheMessageWithinSlacksTextLimit() {
        Delivery delivery = harness.deliver("run_test_failure", Map.of("url", url("/services/T1/B2/abc")),
                SamplePayloads.oversized("run_test_failure"));

        assertThat(delivery.status()).as(delivery.result().toString()).isEqualTo("delivered");
        JsonObject attachment = delivery.onlyRequest().json().getJsonArray("attachments").getJsonObject(0);
        int total = attachment.getString("text").length() + attachment.getString("fallback").length();
        for (JsonObject field : attachment.getJsonArray("fields").getValuesAs(JsonObject.class)) {
            total += field.getString("title").length() + field.getString("value").length();
        }
        assertThat(total).isLessThanOrEqualTo(40_000);
        assertThat(attachment.getJsonArray("fields").getValuesAs(JsonObject.class))
                .extracting(field -> field.getString("value")).last().asString().endsWith("more notes in Rainforest");
        // Java writes a lone surrogate as '?', which the oversized payload never contains.
        assertThat(delivery.onlyRequest().body()).doesNotContain("?");
    }

    private static String url(String path) {
        return harness.target().uri(path).toString();
    }

    private static jakarta.json.JsonStructure json(String text) {
        return Json.createReader(new StringReader(text)).read();
    }
}
