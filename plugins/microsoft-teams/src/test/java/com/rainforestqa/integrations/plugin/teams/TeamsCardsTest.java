package com.rainforestqa.integrations.plugin.teams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rainforestqa.integrations.api.Event;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;

import java.io.StringReader;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TeamsCardsTest {

    @Test
    void messageIsOneAdaptiveCardAttachment() {
        JsonObject message = TeamsCards.render(event(Event.INTEGRATION_TEST, "{}"));

        assertThat(message).isEqualTo(json("""
                {"type": "message",
                 "attachments": [{"contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": null,
                   "content": {"type": "AdaptiveCard",
                     "$schema": "http://adaptivecards.io/schemas/adaptive-card.json", "version": "1.4",
                     "msteams": {"width": "Full"},
                     "body": [
                       {"type": "TextBlock", "text": "Rainforest is connected", "wrap": true, "size": "Large",
                        "weight": "Bolder", "color": "Good", "style": "heading"},
                       {"type": "TextBlock", "wrap": true, "text": "Your Microsoft Teams integration with Rainforest works: this channel will be notified about your runs."}]}}]}
                """));
    }

    @Test
    void failedRunShowsResultEnvironmentDurationAndCountsWithALinkToTheRun() {
        JsonObject card = card(event(Event.RUN_COMPLETION, """
                {"frontend_url": "https://app.rainforestqa.com/runs/7",
                 "run": {"id": 7, "description": "Nightly", "environment": {"name": "QA"}, "result": "failed",
                         "time_taken": 3723, "total_tests": 4, "total_passed_tests": 3, "total_failed_tests": 1,
                         "total_no_result_tests": 0}}
                """));

        assertThat(card.getJsonArray("body")).isEqualTo(json("""
                [{"type": "TextBlock", "text": "Rainforest run failed", "wrap": true, "size": "Large",
                  "weight": "Bolder", "color": "Attention", "style": "heading"},
                 {"type": "TextBlock", "text": "Run #7: Nightly", "wrap": true, "isSubtle": true, "spacing": "None"},
                 {"type": "FactSet", "facts": [
                   {"title": "Result", "value": "Failed"},
                   {"title": "Environment", "value": "QA"},
                   {"title": "Duration", "value": "1 h 2 min 3 s"},
                   {"title": "Passed", "value": "3 (75%)"},
                   {"title": "Failed", "value": "1 (25%)"},
                   {"title": "No result", "value": "0 (0%)"},
                   {"title": "Total tests", "value": "4"}]}]
                """));
        assertThat(card.getJsonArray("actions")).isEqualTo(json("""
                [{"type": "Action.OpenUrl", "title": "View run", "url": "https://app.rainforestqa.com/runs/7"}]
                """));
    }

    @ParameterizedTest(name = "{0} is {1} in {2}")
    @CsvSource(textBlock = """
            passed,    Rainforest run passed,   Good
            PASSED,    Rainforest run passed,   Good
            failed,    Rainforest run failed,   Attention
            no_result, Rainforest run complete, Attention
            """)
    void headingAndColourFollowTheResult(String result, String heading, String color) {
        JsonObject title = card(event(Event.RUN_COMPLETION, "{\"run\": {\"result\": \"" + result + "\"}}"))
                .getJsonArray("body").getJsonObject(0);

        assertThat(title.getString("text")).isEqualTo(heading);
        assertThat(title.getString("color")).isEqualTo(color);
    }

    @Test
    void runWithoutDetailsHasOnlyAHeadingAndNoButtons() {
        JsonObject card = card(event(Event.RUN_COMPLETION, "{\"run\": {}}"));

        assertThat(card.getJsonArray("body")).isEqualTo(json("""
                [{"type": "TextBlock", "text": "Rainforest run complete", "wrap": true, "size": "Large",
                  "weight": "Bolder", "color": "Attention", "style": "heading"}]
                """));
        assertThat(card.containsKey("actions")).isFalse();
    }

    @Test
    void runErrorShowsTheReason() {
        JsonObject card = card(event(Event.RUN_ERROR, """
                {"frontend_url": "https://app.rainforestqa.com/runs/8",
                 "run": {"id": 8, "description": "Smoke", "error_reason": "No tests to run"}}
                """));

        assertThat(card.getJsonArray("body")).isEqualTo(json("""
                [{"type": "TextBlock", "text": "Rainforest run errored", "wrap": true, "size": "Large",
                  "weight": "Bolder", "color": "Attention", "style": "heading"},
                 {"type": "TextBlock", "text": "Run #8: Smoke", "wrap": true, "isSubtle": true, "spacing": "None"},
                 {"type": "FactSet", "facts": [{"title": "Error reason", "value": "No tests to run"}]}]
                """));
        assertThat(card.getJsonArray("actions").getJsonObject(0).getString("url"))
                .isEqualTo("https://app.rainforestqa.com/runs/8");
    }

    @Test
    void runErrorWithoutAReasonPointsToHelp() {
        JsonObject card = card(event(Event.RUN_ERROR, "{\"run\": {\"id\": 8, \"error_reason\": \" \"}}"));

        assertThat(card.getJsonArray("body").getJsonObject(2)).isEqualTo(json("""
                {"type": "FactSet", "facts": [{"title": "Error reason",
                  "value": "No reason was given. If you'd like help debugging this, email help@rainforestqa.com."}]}
                """));
    }

    @Test
    void webhookTimeoutExplainsAndShowsTheEnvironment() {
        JsonObject card = card(event(Event.WEBHOOK_TIMEOUT, """
                {"run": {"id": 9, "description": "Deploy check", "environment": "Staging"}}
                """));

        assertThat(card.getJsonArray("body")).isEqualTo(json("""
                [{"type": "TextBlock", "text": "Rainforest run timed out", "wrap": true, "size": "Large",
                  "weight": "Bolder", "color": "Attention", "style": "heading"},
                 {"type": "TextBlock", "text": "Run #9: Deploy check", "wrap": true, "isSubtle": true,
                  "spacing": "None"},
                 {"type": "TextBlock", "wrap": true, "text": "The run timed out because a webhook did not answer. If you need a hand debugging it, email help@rainforestqa.com."},
                 {"type": "FactSet", "facts": [{"title": "Environment", "value": "Staging"}]}]
                """));
        assertThat(card.containsKey("actions")).isFalse();
    }

    @Test
    void failedTestShowsTestBrowserAndFeedbackWithButtonsToTestAndRun() {
        JsonObject card = card(event(Event.RUN_TEST_FAILURE, """
                {"frontend_url": "https://app.rainforestqa.com/runs/7",
                 "run": {"id": 7, "description": "Nightly", "environment": {"name": "QA"}},
                 "failed_test": {"id": 12, "title": "Login", "frontend_url": "https://app.rainforestqa.com/tests/12"},
                 "browser": {"description": "Chrome 120"},
                 "feedback": [{"worker_name": "Ann", "note": "The *Log in* button is missing"},
                              {"note": "Page was blank"}, {"worker_name": "Bob"}, {}, "not a note"]}
                """));

        assertThat(card.getJsonArray("body")).isEqualTo(json("""
                [{"type": "TextBlock", "text": "Test failed in a Rainforest run", "wrap": true, "size": "Large",
                  "weight": "Bolder", "color": "Attention", "style": "heading"},
                 {"type": "TextBlock", "text": "Run #7: Nightly", "wrap": true, "isSubtle": true, "spacing": "None"},
                 {"type": "FactSet", "facts": [
                   {"title": "Failed test", "value": "Test #12: Login"},
                   {"title": "Environment", "value": "QA"},
                   {"title": "Browser", "value": "Chrome 120"}]},
                 {"type": "TextBlock", "text": "Feedback", "wrap": true, "weight": "Bolder", "separator": true},
                 {"type": "Container", "items": [
                   {"type": "TextBlock", "text": "Ann", "wrap": true, "weight": "Bolder"},
                   {"type": "TextBlock", "text": "The *Log in* button is missing", "wrap": true, "spacing": "None"}]},
                 {"type": "Container", "items": [
                   {"type": "TextBlock", "text": "Tester", "wrap": true, "weight": "Bolder"},
                   {"type": "TextBlock", "text": "Page was blank", "wrap": true, "spacing": "None"}]},
                 {"type": "Container", "items": [
                   {"type": "TextBlock", "text": "Bob", "wrap": true, "weight": "Bolder"}]}]
                """));
        assertThat(card.getJsonArray("actions")).isEqualTo(json("""
                [{"type": "Action.OpenUrl", "title": "View test", "url": "https://app.rainforestqa.com/tests/12"},
                 {"type": "Action.OpenUrl", "title": "View run", "url": "https://app.rainforestqa.com/runs/7"}]
                """));
    }

    @Test
    void longFeedbackIsCutShortVisibly() {
        String longNote = "x".repeat(TeamsCards.MAX_NOTE_LENGTH + 1);
        StringBuilder feedback = new StringBuilder();
        for (int i = 0; i < TeamsCards.MAX_NOTES + 2; i++) {
            feedback.append(i == 0 ? "" : ", ").append("{\"worker_name\": \"W").append(i).append("\", \"note\": \"")
                    .append(longNote).append("\"}");
        }
        JsonArray body = card(event(Event.RUN_TEST_FAILURE, "{\"run\": {\"id\": 1}, \"failed_test\": {\"id\": 2}, "
                + "\"browser\": \"Firefox\", \"feedback\": [" + feedback + "]}")).getJsonArray("body");

        // heading, subtitle, facts, "Feedback", ten notes, then the count of the rest
        assertThat(body).hasSize(4 + TeamsCards.MAX_NOTES + 1);
        String shown = body.getJsonObject(4).getJsonArray("items").getJsonObject(1).getString("text");
        assertThat(shown).hasSize(TeamsCards.MAX_NOTE_LENGTH).endsWith("x…");
        assertThat(body.getJsonObject(body.size() - 1)).isEqualTo(json("""
                {"type": "TextBlock", "text": "2 more notes in Rainforest", "wrap": true, "isSubtle": true}
                """));
    }

    @ParameterizedTest(name = "{0} s is {1}")
    @CsvSource(textBlock = """
            0,    0 s
            59,   59 s
            60,   1 min
            3600, 1 h
            3661, 1 h 1 min 1 s
            90061, 25 h 1 min 1 s
            """)
    void durationsReadLikeTeams(long seconds, String expected) {
        assertThat(TeamsCards.duration(seconds)).isEqualTo(expected);
    }

    @Test
    void unknownEventTypeHasNoCard() {
        assertThat(TeamsCards.handles("run_started")).isFalse();
        assertThatThrownBy(() -> TeamsCards.render(event("run_started", "{}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no Microsoft Teams card for event type run_started");
    }

    private static JsonObject card(Event event) {
        return TeamsCards.render(event).getJsonArray("attachments").getJsonObject(0).getJsonObject("content");
    }

    static Event event(String type, String payload) {
        return new Event(type, Optional.empty(), json(payload).asJsonObject());
    }

    static jakarta.json.JsonValue json(String text) {
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            return reader.readValue();
        }
    }
}
