package com.rainforestqa.integrations.api;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class EventTest {

    @Test
    void typedViewsReadBothShapesRainforestSends() {
        JsonObject payload = SettingsTest.json("""
                {"frontend_url": "https://app.rainforestqa.com/runs/7",
                 "run": {"id": 7, "environment": {"name": "QA"}, "time_taken": "65", "total_tests": 10,
                         "description": "  "},
                 "failed_test": {"id": "12", "title": "Login"},
                 "browser": {"description": "Chrome"},
                 "feedback": [{"worker_name": "Ann", "note": "button missing"}, "junk"]}
                """).asJsonObject();

        Event event = new Event(Event.RUN_TEST_FAILURE, Optional.of("e-1"), payload);

        assertThat(event.frontendUrl()).contains("https://app.rainforestqa.com/runs/7");
        Event.Run run = event.run().orElseThrow();
        assertThat(run.id()).contains("7");
        assertThat(run.environment()).contains("QA");
        assertThat(run.timeTakenSeconds()).hasValue(65);
        assertThat(run.totalTests()).hasValue(10);
        assertThat(run.description()).isEmpty();
        assertThat(run.passedTests()).isEmpty();
        assertThat(event.failedTest().orElseThrow().title()).contains("Login");
        assertThat(event.browser()).contains("Chrome");
        assertThat(event.feedback()).containsExactly(new Event.Feedback(Optional.of("Ann"), Optional.of("button missing")));
    }

    @Test
    void environmentMayBeAPlainName() {
        JsonObject payload = SettingsTest.json("{\"run\": {\"environment\": \"Staging\"}}").asJsonObject();

        assertThat(new Event(Event.WEBHOOK_TIMEOUT, Optional.empty(), payload).run().orElseThrow().environment())
                .contains("Staging");
    }

    @Test
    void integrationTestHasNoRun() {
        Event event = new Event(Event.INTEGRATION_TEST, Optional.empty(), JsonObject.EMPTY_JSON_OBJECT);

        assertThat(event.run()).isEmpty();
        assertThat(event.feedback()).isEmpty();
        assertThat(event.frontendUrl()).isEmpty();
    }
}
