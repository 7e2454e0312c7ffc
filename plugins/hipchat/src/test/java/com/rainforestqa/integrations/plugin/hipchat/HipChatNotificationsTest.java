package com.rainforestqa.integrations.plugin.hipchat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rainforestqa.integrations.api.Event;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import java.io.StringReader;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class HipChatNotificationsTest {

    @Test
    void integrationTestIsAGreenMessageWithoutACard() {
        assertThat(HipChatNotifications.render(event(Event.INTEGRATION_TEST, "{}"))).isEqualTo(json("""
                {"message": "Your HipChat integration with Rainforest works: this room will be notified about your runs.",
                 "message_format": "html", "color": "green", "notify": true}"""));
    }

    @Test
    void passedRunIsGreenWithResultEnvironmentDurationAndCounts() {
        Event event = event(Event.RUN_COMPLETION, """
                {"frontend_url": "https://app.rainforestqa.com/runs/7",
                 "run": {"id": 7, "description": "Nightly", "environment": {"name": "QA"}, "result": "passed",
                         "time_taken": 3725, "total_tests": 4, "total_passed_tests": 4, "total_failed_tests": 0,
                         "total_no_result_tests": 0}}""");

        assertThat(HipChatNotifications.render(event)).isEqualTo(json("""
                {"message": "Your Rainforest run <a href=\\"https://app.rainforestqa.com/runs/7\\">#7 (Nightly)</a> passed.",
                 "message_format": "html", "color": "green", "notify": true,
                 "card": {"style": "application", "format": "medium", "id": "evt-1",
                   "title": "Rainforest run #7 Nightly", "url": "https://app.rainforestqa.com/runs/7",
                   "attributes": [
                     {"label": "Result", "value": {"label": "passed", "style": "lozenge-success"}},
                     {"label": "Environment", "value": {"label": "QA"}},
                     {"label": "Duration", "value": {"label": "1h 2m 5s"}},
                     {"label": "Tests", "value": {"label": "4 tests: 4 passed, 0 failed, 0 no result"}}]}}"""));
    }

    @Test
    void failedRunIsRed() {
        JsonObject body = HipChatNotifications.render(event(Event.RUN_COMPLETION,
                "{\"run\": {\"id\": 8, \"result\": \"failed\"}}"));

        assertThat(body.getString("color")).isEqualTo("red");
        assertThat(body.getString("message")).isEqualTo("Your Rainforest run #8 completed with result failed.");
        assertThat(body.getJsonObject("card").getJsonArray("attributes")).isEqualTo(Json.createArrayBuilder()
                .add(json("{\"label\": \"Result\", \"value\": {\"label\": \"failed\", \"style\": \"lozenge-error\"}}"))
                .build());
    }

    @Test
    void runErrorIsRedAndNamesTheReason() {
        Event event = event(Event.RUN_ERROR, """
                {"frontend_url": "https://app.rainforestqa.com/runs/9",
                 "run": {"id": 9, "description": "Smoke", "error_reason": "No tests to run"}}""");

        JsonObject body = HipChatNotifications.render(event);

        assertThat(body.getString("color")).isEqualTo("red");
        assertThat(body.getString("message")).isEqualTo("Your Rainforest run "
                + "<a href=\"https://app.rainforestqa.com/runs/9\">#9 (Smoke)</a> errored: No tests to run.");
        assertThat(body.getJsonObject("card").getJsonArray("attributes")).isEqualTo(Json.createArrayBuilder()
                .add(json("{\"label\": \"Error\", \"value\": {\"label\": \"No tests to run\", \"style\": \"lozenge-error\"}}"))
                .build());
    }

    @Test
    void webhookTimeoutIsRedAndNamesTheEnvironment() {
        JsonObject body = HipChatNotifications.render(event(Event.WEBHOOK_TIMEOUT,
                "{\"run\": {\"id\": 10, \"environment\": \"Staging\"}}"));

        assertThat(body.getString("color")).isEqualTo("red");
        assertThat(body.getString("message")).isEqualTo("Your Rainforest run #10 timed out waiting for your webhook.");
        assertThat(body.getJsonObject("card").getJsonArray("attributes")).isEqualTo(Json.createArrayBuilder()
                .add(json("{\"label\": \"Environment\", \"value\": {\"label\": \"Staging\"}}")).build());
    }

    @Test
    void testFailureLinksTheTestAndNamesTheBrowser() {
        Event event = event(Event.RUN_TEST_FAILURE, """
                {"frontend_url": "https://app.rainforestqa.com/runs/7",
                 "run": {"id": 7, "environment": {"name": "QA"}},
                 "failed_test": {"id": 12, "title": "Login", "frontend_url": "https://app.rainforestqa.com/tests/12"},
                 "browser": {"description": "Chrome 120"}}""");

        JsonObject body = HipChatNotifications.render(event);

        assertThat(body.getString("color")).isEqualTo("red");
        assertThat(body.getString("message")).isEqualTo("The test "
                + "<a href=\"https://app.rainforestqa.com/tests/12\">Login</a> failed in your Rainforest run "
                + "<a href=\"https://app.rainforestqa.com/runs/7\">#7</a>.");
        assertThat(body.getJsonObject("card").getJsonArray("attributes")).isEqualTo(json("""
                {"a": [{"label": "Failed test", "value": {"label": "Login",
                          "url": "https://app.rainforestqa.com/tests/12", "style": "lozenge-error"}},
                       {"label": "Browser", "value": {"label": "Chrome 120"}},
                       {"label": "Environment", "value": {"label": "QA"}}]}""").getJsonArray("a"));
    }

    @Test
    void userTextIsEscapedInTheHtmlMessageAndUnsafeLinksAreDropped() {
        Event event = event(Event.RUN_TEST_FAILURE, """
                {"frontend_url": "javascript:alert(1)",
                 "run": {"id": 7, "description": "<b>Tom & Jerry's \\"run\\"</b>"},
                 "failed_test": {"title": "<script>x</script>", "frontend_url": "https://x.test/?a=1&b=\\"2\\""}}""");

        String message = HipChatNotifications.render(event).getString("message");

        assertThat(message).isEqualTo("The test <a href=\"https://x.test/?a=1&amp;b=&quot;2&quot;\">"
                + "&lt;script&gt;x&lt;/script&gt;</a> failed in your Rainforest run "
                + "#7 (&lt;b&gt;Tom &amp; Jerry&#39;s &quot;run&quot;&lt;/b&gt;).");
    }

    @Test
    void longUserTextIsShortenedSoTheMessageStaysUnderHipChatsLimit() {
        String longTitle = "x".repeat(20_000);
        Event event = event(Event.RUN_TEST_FAILURE, "{\"run\": {\"id\": 1, \"description\": \"" + longTitle
                + "\"}, \"failed_test\": {\"title\": \"" + longTitle + "\"}}");

        JsonObject body = HipChatNotifications.render(event);

        assertThat(body.getString("message")).hasSizeLessThan(10_000).contains("x".repeat(999) + "…");
        assertThat(body.getJsonObject("card").getString("title")).hasSize(1000);
    }

    @Test
    void cardIdFallsBackToTypeAndRunWithoutAnEventId() {
        Event event = new Event(Event.WEBHOOK_TIMEOUT, Optional.empty(), json("{\"run\": {\"id\": 10}}"));

        assertThat(HipChatNotifications.render(event).getJsonObject("card").getString("id"))
                .isEqualTo("rainforest-webhook_timeout-10");
    }

    @Test
    void unknownEventTypeHasNoNotification() {
        assertThat(HipChatNotifications.handles("run_started")).isFalse();
        assertThatThrownBy(() -> HipChatNotifications.render(event("run_started", "{}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no HipChat notification for run_started");
    }

    static Event event(String type, String payload) {
        return new Event(type, Optional.of("evt-1"), json(payload));
    }

    static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }
}
