package com.rainforestqa.integrations.plugin.pagerduty;

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
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The PagerDuty plugin as the host runs it, through the test kit's harness: packed into a jar in a plugins directory,
 * loaded in its own class loader, its schema checked, and events delivered to a fake Events API, which the harness
 * names by {@code plugins.pagerduty.api-url}.
 */
class PagerDutyPluginTest {
    private static final String ROUTING_KEY = "verysecretroutingkey0123456789ab";
    private static final String ACCEPTED =
            "{\"status\":\"success\",\"message\":\"Event processed\",\"dedup_key\":\"rainforest-run-7\"}";
    /** One id per event: the host drops a repeated event_id it has delivered before. */
    private static final AtomicInteger EVENT_IDS = new AtomicInteger();

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
        harness.target().setDefaultReply(Reply.json(202, ACCEPTED));
    }

    @Test
    void schemaIsServedFromThePluginJarAndHasNoProblems() {
        assertThat(harness.keys()).containsExactly("pagerduty");
        assertThat(harness.problems()).isEmpty();
        assertThat(harness.schema("pagerduty")).isEqualTo(json("""
                {"key": "pagerduty", "title": "PagerDuty",
                 "events": ["run_completion", "run_error", "webhook_timeout", "run_test_failure"],
                 "settings": [
                   {"key": "routing_key", "title": "Integration key (Events API v2)", "required": true,
                    "secret": true},
                   {"key": "severity", "title": "Alert severity",
                    "options": ["critical", "error", "warning", "info"], "default": "error"}]}"""));
        assertThat(harness.classLoader("pagerduty")).isNotSameAs(PagerDutyPluginTest.class.getClassLoader());
    }

    @ParameterizedTest
    @ValueSource(strings = {"run_completion", "run_error", "webhook_timeout", "run_test_failure"})
    void failureEventsArriveAsTriggers(String eventType) {
        Delivery delivery = harness.deliver(event(eventType, "failed", "warning"));

        assertThat(delivery.status()).as(delivery.result().toString()).isEqualTo("delivered");
        RecordedRequest received = delivery.onlyRequest();
        assertThat(received.path()).isEqualTo("/v2/enqueue");
        assertThat(received.header("content-type")).contains("application/json");
        JsonObject body = received.json();
        assertThat(body.getString("routing_key")).isEqualTo(ROUTING_KEY);
        assertThat(body.getString("event_action")).isEqualTo("trigger");
        assertThat(body.getString("dedup_key"))
                .isEqualTo(eventType.equals("run_test_failure") ? "rainforest-test-12" : "rainforest-run-7");
        assertThat(body.getJsonObject("payload").getString("severity")).isEqualTo("warning");
        assertThat(body.getJsonObject("payload").getString("source")).isEqualTo("QA");
    }

    @Test
    void passedRunIsSkipped() {
        Delivery delivery = harness.deliver(event("run_completion", "passed", "error"));

        assertThat(delivery.status()).as(delivery.result().toString()).isEqualTo("skipped");
        assertThat(delivery.requests()).isEmpty();
    }

    @Test
    void integrationTestTriggersAndResolves() {
        Delivery delivery = harness.deliver(event("integration_test", "evt-1", "failed", "error"));

        assertThat(delivery.status()).as(delivery.result().toString()).isEqualTo("delivered");
        List<RecordedRequest> requests = delivery.requests();
        assertThat(requests).extracting(request -> request.json().getString("event_action"))
                .containsExactly("trigger", "resolve");
        assertThat(requests).extracting(request -> request.json().getString("dedup_key"))
                .containsExactly("rainforest-integration-test-evt-1", "rainforest-integration-test-evt-1");
    }

    @Test
    void rejectedRoutingKeyIsAUserConfigurationErrorThatNeverShowsTheKey() {
        String rejection = "{\"status\":\"invalid event\",\"message\":\"Event object is invalid\","
                + "\"errors\":[\"Invalid routing key: " + ROUTING_KEY + "\"]}";
        harness.target().setDefaultReply(Reply.json(400, rejection));

        Delivery delivery = harness.deliver(event("run_error", "failed", "error"));

        assertThat(delivery.status()).isEqualTo("failed");
        assertThat(delivery.type()).contains("user_configuration_error");
        assertThat(delivery.responseCode()).hasValue(400);
        assertThat(delivery.responseBody())
                .hasValueSatisfying(body -> assertThat(body).contains("Invalid routing key"));
        assertThat(delivery.result().toString()).doesNotContain(ROUTING_KEY);
        assertThat(delivery.requests()).hasSize(1);
    }

    @Test
    void unknownSeverityIsAUserConfigurationError() {
        Delivery delivery = harness.deliver(event("run_error", "failed", "urgent"));

        assertThat(delivery.status()).isEqualTo("failed");
        assertThat(delivery.type()).contains("user_configuration_error");
        assertThat(delivery.requests()).isEmpty();
    }

    @Test
    void missingRoutingKeyIsRefusedBeforeDelivery() {
        JsonObject event = event("run_error", "failed", "error");
        JsonObject integration = event.getJsonArray("integrations").getJsonObject(0);
        Delivery delivery = harness.deliver(Json.createObjectBuilder(event)
                .add("integrations", Json.createArrayBuilder().add(Json.createObjectBuilder(integration)
                        .add("settings", Json.createObjectBuilder(integration.getJsonObject("settings"))
                                .add("routing_key", ""))))
                .build());

        assertThat(delivery.status()).isEqualTo("failed");
        assertThat(delivery.type()).contains("misconfigured_integration");
        assertThat(delivery.requests()).isEmpty();
    }


    @Test
    void oversizedFeedbackKeepsTheEventWithinPagerDutysLimits() {
        Delivery delivery = harness.deliver(Json.createObjectBuilder(event("run_test_failure", "failed", "error"))
                .add("payload", SamplePayloads.oversized("run_test_failure")).build());

        assertThat(delivery.status()).as(delivery.result().toString()).isEqualTo("delivered");
        String body = delivery.onlyRequest().body();
        JsonObject payload = delivery.onlyRequest().json().getJsonObject("payload");
        assertThat(payload.getString("summary").codePointCount(0, payload.getString("summary").length()))
                .isLessThanOrEqualTo(1024);
        assertThat(payload.getJsonObject("custom_details").getJsonArray("feedback"))
                .hasSize(SamplePayloads.OVERSIZED_NOTES);
        assertThat(body.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(512 * 1024);
        // Java writes a lone surrogate as '?', which the oversized payload never contains.
        assertThat(body).doesNotContain("?");
    }

    private static JsonObject event(String type, String result, String severity) {
        return event(type, "rf-" + EVENT_IDS.incrementAndGet(), result, severity);
    }

    private static JsonObject event(String type, String eventId, String result, String severity) {
        return json("""
                {"event_type": "%s", "event_id": "%s",
                 "integrations": [{"key": "pagerduty",
                   "settings": {"routing_key": "%s", "severity": "%s"}}],
                 "payload": {"frontend_url": "https://app.rainforestqa.com/runs/7",
                   "run": {"id": 7, "description": "Nightly", "environment": {"name": "QA"}, "result": "%s",
                           "error_reason": "", "time_taken": 1503, "total_tests": 4, "total_passed_tests": 3,
                           "total_failed_tests": %d, "total_no_result_tests": 0},
                   "failed_test": {"id": 12, "title": "Login", "frontend_url": "https://app.rainforestqa.com/tests/12"},
                   "browser": {"description": "Chrome"},
                   "feedback": [{"worker_name": "Ann", "note": "button missing"}]}}
                """.formatted(type, eventId, ROUTING_KEY, severity, result, result.equals("passed") ? 0 : 1))
                .asJsonObject();
    }

    private static jakarta.json.JsonStructure json(String text) {
        return Json.createReader(new StringReader(text)).read();
    }
}
