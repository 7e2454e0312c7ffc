package com.rainforestqa.integrations.plugin.pivotaltracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.rainforestqa.integrations.api.ErrorType;
import com.rainforestqa.integrations.api.Event;
import com.rainforestqa.integrations.api.IntegrationException;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import java.io.StringReader;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class FailureStoryTest {

    @Test
    void failedTestIsABugNamingTheTestWithLinksAndTheEnvironmentAsComment() {
        Event event = event(Event.RUN_TEST_FAILURE, """
                {"frontend_url": "https://app.rainforestqa.com/runs/7",
                 "run": {"id": 7, "description": "Nightly", "environment": {"name": "QA"}},
                 "failed_test": {"id": 12, "title": "Login", "frontend_url": "https://app.rainforestqa.com/tests/12"},
                 "browser": {"description": "Chrome 120"}}""");

        assertThat(FailureStory.of(event)).isEqualTo(new FailureStory("RfTest12", "Rainforest test failed: Login", """
                The Rainforest test "Login" failed in run #7 (Nightly).

                Test: https://app.rainforestqa.com/tests/12
                Run: https://app.rainforestqa.com/runs/7
                Browser: Chrome 120""", Optional.of("Environment: QA")));
    }

    @Test
    void failedTestWithoutTitleOrLinksIsNamedByItsId() {
        Event event = event(Event.RUN_TEST_FAILURE, "{\"run\": {\"id\": 7}, \"failed_test\": {\"id\": 12}}");

        assertThat(FailureStory.of(event)).isEqualTo(new FailureStory("RfTest12", "Rainforest test failed: #12",
                "The Rainforest test \"#12\" failed in run #7.", Optional.empty()));
    }

    @Test
    void webhookTimeoutIsLabelledByTheRun() {
        Event event = event(Event.WEBHOOK_TIMEOUT, """
                {"frontend_url": "https://app.rainforestqa.com/runs/9",
                 "run": {"id": 9, "description": "Smoke", "environment": "Staging"}}""");

        assertThat(FailureStory.of(event)).isEqualTo(new FailureStory("RfRun9",
                "Rainforest run #9 timed out waiting for the webhook", """
                Rainforest run #9 (Smoke) timed out waiting for your webhook.

                Run: https://app.rainforestqa.com/runs/9""", Optional.of("Environment: Staging")));
    }

    @Test
    void integrationTestIsLabelledIntegrationTest() {
        assertThat(FailureStory.of(event(Event.INTEGRATION_TEST, "{}"))).isEqualTo(new FailureStory(
                "Integration Test", "Rainforest integration test",
                "Rainforest filed this story to check your Pivotal Tracker integration. You can delete it.",
                Optional.empty()));
    }

    @Test
    void longTitlesAreShortenedInTheName() {
        Event event = event(Event.RUN_TEST_FAILURE,
                "{\"run\": {\"id\": 7}, \"failed_test\": {\"id\": 12, \"title\": \"" + "x".repeat(900) + "\"}}");

        assertThat(FailureStory.of(event).name()).hasSize(500).endsWith("x…");
    }

    @Test
    void failedTestWithoutIdIsMisconfigured() {
        IntegrationException e = catchThrowableOfType(IntegrationException.class, () -> FailureStory.of(
                event(Event.RUN_TEST_FAILURE, "{\"run\": {\"id\": 7}, \"failed_test\": {\"title\": \"Login\"}}")));

        assertThat(e.type()).isEqualTo(ErrorType.MISCONFIGURED_INTEGRATION);
        assertThat(e.getMessage()).isEqualTo("the event has no failed_test.id to label the story with");
    }

    @Test
    void timeoutWithoutRunIdIsMisconfigured() {
        IntegrationException e = catchThrowableOfType(IntegrationException.class,
                () -> FailureStory.of(event(Event.WEBHOOK_TIMEOUT, "{\"run\": {}}")));

        assertThat(e.type()).isEqualTo(ErrorType.MISCONFIGURED_INTEGRATION);
        assertThat(e.getMessage()).isEqualTo("the event has no run.id to label the story with");
    }

    @Test
    void otherEventsHaveNoStory() {
        assertThatThrownBy(() -> FailureStory.of(event(Event.RUN_COMPLETION, "{\"run\": {\"id\": 1}}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no Pivotal Tracker story for run_completion");
    }

    static Event event(String type, String payload) {
        return new Event(type, Optional.of("evt-1"), json(payload));
    }

    static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }
}
