package com.rainforestqa.integrations.plugin.pagerduty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rainforestqa.integrations.api.Event;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;

import java.io.StringReader;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PagerDutyEventsTest {
    static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");
    static final String KEY = "R0UT1NGK3YR0UT1NGK3YR0UT1NGK3Y00";

    @Test
    void failedTestTriggersOneAlertPerTestWithDetailsAndLinks() {
        JsonObject body = PagerDutyEvents.trigger(event(Event.RUN_TEST_FAILURE, """
                {"frontend_url": "https://app.rainforestqa.com/runs/7",
                 "run": {"id": 7, "description": "Nightly", "environment": {"name": "QA"}},
                 "failed_test": {"id": 12, "title": "Login", "frontend_url": "https://app.rainforestqa.com/tests/12"},
                 "browser": {"description": "Chrome 120"},
                 "feedback": [{"worker_name": "Ann", "note": "button missing"}, {"note": "blank page"},
                              {"worker_name": "Bob"}, {}]}
                """), KEY, "error", NOW);

        assertThat(body).isEqualTo(json("""
                {"routing_key": "R0UT1NGK3YR0UT1NGK3YR0UT1NGK3Y00", "event_action": "trigger",
                 "dedup_key": "rainforest-test-12",
                 "payload": {"summary": "Rainforest test failed: Login (test #12) in run #7 (Nightly)",
                   "source": "QA", "severity": "error", "timestamp": "2024-05-01T12:00:00Z",
                   "class": "run_test_failure",
                   "custom_details": {"run_id": "7", "run": "Nightly", "environment": "QA",
                     "failed_test_id": "12", "failed_test": "Login", "browser": "Chrome 120",
                     "feedback": ["Ann: button missing", "blank page", "Bob"],
                     "run_url": "https://app.rainforestqa.com/runs/7"}},
                 "links": [{"href": "https://app.rainforestqa.com/runs/7", "text": "View run in Rainforest"},
                           {"href": "https://app.rainforestqa.com/tests/12", "text": "View test in Rainforest"}],
                 "client": "Rainforest QA", "client_url": "https://app.rainforestqa.com/runs/7"}
                """));
    }

    @Test
    void failedRunTriggersOneAlertPerRunWithCounts() {
        JsonObject body = PagerDutyEvents.trigger(event(Event.RUN_COMPLETION, """
                {"frontend_url": "https://app.rainforestqa.com/runs/7",
                 "run": {"id": 7, "description": "Nightly", "environment": "Staging", "result": "failed",
                         "time_taken": 1503, "total_tests": 4, "total_passed_tests": 3, "total_failed_tests": 1,
                         "total_no_result_tests": 0}}
                """), KEY, "critical", NOW);

        assertThat(body).isEqualTo(json("""
                {"routing_key": "R0UT1NGK3YR0UT1NGK3YR0UT1NGK3Y00", "event_action": "trigger",
                 "dedup_key": "rainforest-run-7",
                 "payload": {"summary": "Rainforest run #7 (Nightly) failed: 1 of 4 tests failed",
                   "source": "Staging", "severity": "critical", "timestamp": "2024-05-01T12:00:00Z",
                   "class": "run_completion",
                   "custom_details": {"run_id": "7", "run": "Nightly", "environment": "Staging", "result": "failed",
                     "time_taken_seconds": 1503, "total_tests": 4, "passed_tests": 3, "failed_tests": 1,
                     "no_result_tests": 0, "run_url": "https://app.rainforestqa.com/runs/7"}},
                 "links": [{"href": "https://app.rainforestqa.com/runs/7", "text": "View run in Rainforest"}],
                 "client": "Rainforest QA", "client_url": "https://app.rainforestqa.com/runs/7"}
                """));
    }

    @Test
    void runErrorNamesTheReason() {
        JsonObject body = PagerDutyEvents.trigger(event(Event.RUN_ERROR, """
                {"run": {"id": 8, "description": "Smoke", "error_reason": "No tests to run"}}
                """), KEY, "warning", NOW);

        assertThat(body).isEqualTo(json("""
                {"routing_key": "R0UT1NGK3YR0UT1NGK3YR0UT1NGK3Y00", "event_action": "trigger",
                 "dedup_key": "rainforest-run-8",
                 "payload": {"summary": "Rainforest run #8 (Smoke) errored: No tests to run",
                   "source": "Rainforest QA", "severity": "warning", "timestamp": "2024-05-01T12:00:00Z",
                   "class": "run_error",
                   "custom_details": {"run_id": "8", "run": "Smoke", "error_reason": "No tests to run"}},
                 "client": "Rainforest QA"}
                """));
    }

    @Test
    void webhookTimeoutIsAnAlertForTheRun() {
        JsonObject body = PagerDutyEvents.trigger(event(Event.WEBHOOK_TIMEOUT, """
                {"frontend_url": "https://app.rainforestqa.com/runs/9",
                 "run": {"id": 9, "environment": {"name": "Production"}}}
                """), KEY, "error", NOW);

        assertThat(body.getString("dedup_key")).isEqualTo("rainforest-run-9");
        assertThat(body.getJsonObject("payload")).isEqualTo(json("""
                {"summary": "Rainforest run #9 timed out waiting for a webhook", "source": "Production",
                 "severity": "error", "timestamp": "2024-05-01T12:00:00Z", "class": "webhook_timeout",
                 "custom_details": {"run_id": "9", "environment": "Production",
                   "run_url": "https://app.rainforestqa.com/runs/9"}}
                """));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', textBlock = """
            {"run": {"id": 7}, "failed_test": {"id": 12}}                     | Rainforest test failed: test #12 in run #7                  | rainforest-test-12
            {"run": {"id": 7}, "failed_test": {"title": "Login"}}             | Rainforest test failed: Login in run #7                     | rainforest-run-7
            {"run": {"description": "Nightly"}, "failed_test": {}}            | Rainforest test failed: a test in run (Nightly)             |
            {"run": {}, "failed_test": {}}                                    | Rainforest test failed: a test in a run                     |
            """)
    void summaryAndDedupKeyUseWhatIsThere(String payload, String summary, String dedupKey) {
        JsonObject body = PagerDutyEvents.trigger(event(Event.RUN_TEST_FAILURE, payload), KEY, "error", NOW);

        assertThat(body.getJsonObject("payload").getString("summary")).isEqualTo(summary);
        if (dedupKey == null) {
            assertThat(body.containsKey("dedup_key")).isFalse();
        } else {
            assertThat(body.getString("dedup_key")).isEqualTo(dedupKey);
        }
    }

    @Test
    void longSummaryAndDedupKeyAreCutToPagerDutysLimits() {
        String longText = "x".repeat(2000);
        JsonObject body = PagerDutyEvents.trigger(event(Event.RUN_ERROR,
                "{\"run\": {\"id\": \"" + longText + "\", \"error_reason\": \"" + longText + "\"}}"), KEY, "error",
                NOW);

        assertThat(body.getJsonObject("payload").getString("summary")).hasSize(1024).endsWith("x…");
        assertThat(body.getString("dedup_key")).hasSize(255).startsWith("rainforest-run-xxx");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            {"run": {"result": "failed"}}                              | true
            {"run": {"result": "FAILED"}}                              | true
            {"run": {"result": "no_result", "total_failed_tests": 2}} | true
            {"run": {"result": "passed", "total_failed_tests": 0}}     | false
            {"run": {"result": "no_result"}}                           | false
            {"run": {}}                                                | false
            """)
    void onlyFailedRunsAreFailures(String payload, boolean failure) {
        assertThat(PagerDutyEvents.isFailure(event(Event.RUN_COMPLETION, payload))).isEqualTo(failure);
    }

    @Test
    void integrationTestTriggersAnInfoAlertKeyedByTheEventId() {
        Event event = new Event(Event.INTEGRATION_TEST, Optional.of("evt-42"), JsonValue.EMPTY_JSON_OBJECT);

        assertThat(PagerDutyEvents.integrationTest(event, KEY, NOW)).isEqualTo(json("""
                {"routing_key": "R0UT1NGK3YR0UT1NGK3YR0UT1NGK3Y00", "event_action": "trigger",
                 "dedup_key": "rainforest-integration-test-evt-42",
                 "payload": {"summary": "Rainforest QA integration test: this alert resolves itself at once",
                   "source": "Rainforest QA", "severity": "info", "timestamp": "2024-05-01T12:00:00Z",
                   "class": "integration_test"},
                 "client": "Rainforest QA"}
                """));
    }

    @Test
    void integrationTestWithoutAnEventIdIsKeyedByTheTime() {
        Event event = new Event(Event.INTEGRATION_TEST, Optional.empty(), JsonValue.EMPTY_JSON_OBJECT);

        assertThat(PagerDutyEvents.integrationTest(event, KEY, NOW).getString("dedup_key"))
                .isEqualTo("rainforest-integration-test-1714564800000");
    }

    @Test
    void resolveNeedsOnlyTheKeys() {
        assertThat(PagerDutyEvents.resolve(KEY, "rainforest-integration-test-evt-42")).isEqualTo(json("""
                {"routing_key": "R0UT1NGK3YR0UT1NGK3YR0UT1NGK3Y00", "event_action": "resolve",
                 "dedup_key": "rainforest-integration-test-evt-42"}
                """));
    }

    @Test
    void unknownEventTypeHasNoAlert() {
        assertThat(PagerDutyEvents.handles("run_started")).isFalse();
        assertThatThrownBy(() -> PagerDutyEvents.trigger(event("run_started", "{}"), KEY, "error", NOW))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no PagerDuty alert for event type run_started");
    }

    static Event event(String type, String payload) {
        return new Event(type, Optional.empty(), json(payload).asJsonObject());
    }

    static JsonValue json(String text) {
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            return reader.readValue();
        }
    }
}
