package com.rainforestqa.integrations.plugin.discord;

import static org.assertj.core.api.Assertions.assertThat;

import com.rainforestqa.integrations.api.Event;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.io.StringReader;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DiscordEmbedsTest {
    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void passedRunIsGreenWithItsCountsAsInlineFields() {
        JsonObject message = DiscordEmbeds.render(event(Event.RUN_COMPLETION, """
                {"frontend_url": "https://app.rainforestqa.com/runs/7",
                 "run": {"id": 7, "description": "Nightly", "environment": {"name": "QA"}, "result": "passed",
                         "time_taken": 3725, "total_tests": 4, "total_passed_tests": 3, "total_failed_tests": 0,
                         "total_no_result_tests": 1}}"""), NOW);

        assertThat(message).isEqualTo(json("""
                {"embeds": [{"title": "Run #7 (Nightly) passed", "url": "https://app.rainforestqa.com/runs/7",
                  "color": 3066993,
                  "fields": [{"name": "Result", "value": "Passed", "inline": true},
                             {"name": "Environment", "value": "QA", "inline": true},
                             {"name": "Duration", "value": "1h 2m 5s", "inline": true},
                             {"name": "Tests", "value": "4", "inline": true},
                             {"name": "Passed", "value": "3 (75%)", "inline": true},
                             {"name": "Failed", "value": "0 (0%)", "inline": true},
                             {"name": "No result", "value": "1 (25%)", "inline": true}],
                  "footer": {"text": "Rainforest QA"}, "timestamp": "2026-01-01T00:00:00Z"}]}"""));
    }

    @ParameterizedTest(name = "{0} is {2}")
    @CsvSource(textBlock = """
            failed,    'Run #3 failed',      15158332
            no_result, 'Run #3 is complete', 15158332
            PASSED,    'Run #3 passed',      3066993
            """)
    void runCompletionColourAndTitleFollowTheResult(String result, String title, int color) {
        JsonObject embed = embed(event(Event.RUN_COMPLETION, "{\"run\": {\"id\": 3, \"result\": \"%s\"}}"
                .formatted(result)));

        assertThat(embed.getString("title")).isEqualTo(title);
        assertThat(embed.getInt("color")).isEqualTo(color);
    }

    @Test
    void runErrorIsRedWithTheReasonAsDescription() {
        assertThat(DiscordEmbeds.render(event(Event.RUN_ERROR, """
                {"frontend_url": "https://app.rainforestqa.com/runs/8",
                 "run": {"id": 8, "description": "Smoke", "error_reason": "No *tests* to run"}}"""), NOW))
                .isEqualTo(json("""
                        {"embeds": [{"title": "Run #8 (Smoke) errored", "url": "https://app.rainforestqa.com/runs/8",
                          "color": 15158332, "description": "No \\\\*tests\\\\* to run",
                          "footer": {"text": "Rainforest QA"}, "timestamp": "2026-01-01T00:00:00Z"}]}"""));
    }

    @Test
    void runErrorWithoutAReasonSaysWhereToGetHelp() {
        assertThat(embed(event(Event.RUN_ERROR, "{\"run\": {\"id\": 8, \"error_reason\": \" \"}}"))
                .getString("description")).isEqualTo(DiscordEmbeds.NO_ERROR_REASON);
    }

    @Test
    void webhookTimeoutIsRedWithTheEnvironment() {
        assertThat(embed(event(Event.WEBHOOK_TIMEOUT, """
                {"run": {"id": 9, "description": "Nightly", "environment": "Staging"}}""")))
                .isEqualTo(json("""
                        {"title": "Run #9 (Nightly) timed out", "color": 15158332,
                         "description": "The run timed out because of a webhook failure. If you need a hand debugging it, email help@rainforestqa.com.",
                         "fields": [{"name": "Environment", "value": "Staging", "inline": true}],
                         "footer": {"text": "Rainforest QA"}, "timestamp": "2026-01-01T00:00:00Z"}"""));
    }

    @Test
    void testFailureLinksTheTestAndListsTheFeedback() {
        assertThat(embed(event(Event.RUN_TEST_FAILURE, """
                {"frontend_url": "https://app.rainforestqa.com/runs/7",
                 "run": {"id": 7, "description": "Nightly", "environment": {"name": "QA"}},
                 "failed_test": {"id": 12, "title": "Log_in", "frontend_url": "https://app.rainforestqa.com/tests/12"},
                 "browser": {"description": "Chrome 120"},
                 "feedback": [{"worker_name": "Ann", "note": "button missing"}, {"note": "page blank"},
                              {"worker_name": "Bo", "note": "  "}]}""")))
                .isEqualTo(json("""
                        {"title": "Run #7 (Nightly) has a failed test", "url": "https://app.rainforestqa.com/runs/7",
                         "color": 15158332,
                         "fields": [{"name": "Failed test", "value": "[Test #12: Log\\\\_in](https://app.rainforestqa.com/tests/12)", "inline": false},
                                    {"name": "Environment", "value": "QA", "inline": true},
                                    {"name": "Browser", "value": "Chrome 120", "inline": true},
                                    {"name": "Feedback from Ann", "value": "button missing", "inline": false},
                                    {"name": "Feedback", "value": "page blank", "inline": false}],
                         "footer": {"text": "Rainforest QA"}, "timestamp": "2026-01-01T00:00:00Z"}"""));
    }

    @Test
    void integrationTestIsAGreenConfirmationWithoutALink() {
        assertThat(DiscordEmbeds.render(
                new Event(Event.INTEGRATION_TEST, Optional.empty(), JsonValue.EMPTY_JSON_OBJECT), NOW))
                .isEqualTo(json("""
                        {"embeds": [{"title": "Rainforest is connected", "color": 3066993,
                          "description": "Your Discord integration with Rainforest works: this channel will be notified about your runs.",
                          "footer": {"text": "Rainforest QA"}, "timestamp": "2026-01-01T00:00:00Z"}]}"""));
    }

    @Test
    void missingRunDetailsLeaveNoStrayPunctuation() {
        assertThat(embed(event(Event.RUN_COMPLETION, "{\"run\": {}}"))).isEqualTo(json("""
                {"title": "Run is complete", "color": 15158332,
                 "footer": {"text": "Rainforest QA"}, "timestamp": "2026-01-01T00:00:00Z"}"""));
    }

    @Test
    void linksThatAreNotWebUrlsAreLeftOut() {
        JsonObject embed = embed(event(Event.RUN_TEST_FAILURE, """
                {"frontend_url": "javascript:alert(1)", "run": {"id": 1},
                 "failed_test": {"id": 2, "title": "T", "frontend_url": "ftp://x"}}"""));

        assertThat(embed.containsKey("url")).isFalse();
        assertThat(embed.getJsonArray("fields").getJsonObject(0).getString("value")).isEqualTo("Test #2: T");
    }

    @Test
    void markdownInPayloadTextIsShownAsTyped() {
        assertThat(DiscordEmbeds.escape("*bold* _it_ ~~s~~ `code` ||spoiler|| > [x](y) \\"))
                .isEqualTo("\\*bold\\* \\_it\\_ \\~\\~s\\~\\~ \\`code\\` \\|\\|spoiler\\|\\| \\> \\[x\\](y) \\\\");
    }

    @Test
    void feedbackBeyondTwentyFiveFieldsIsCountedVisibly() {
        String notes = IntStream.rangeClosed(1, 30)
                .mapToObj(i -> "{\"worker_name\": \"W%d\", \"note\": \"note %d\"}".formatted(i, i))
                .collect(Collectors.joining(", ", "[", "]"));
        JsonObject embed = embed(event(Event.RUN_TEST_FAILURE, """
                {"run": {"id": 7, "environment": "QA"}, "failed_test": {"id": 12, "title": "Login"},
                 "browser": {"description": "Chrome"}, "feedback": %s}""".formatted(notes)));

        List<JsonObject> fields = embed.getJsonArray("fields").getValuesAs(JsonObject.class);
        assertThat(fields).hasSize(25);
        assertThat(fields.get(23)).isEqualTo(json("{\"name\": \"Feedback from W21\", \"value\": \"note 21\", \"inline\": false}"));
        assertThat(fields.get(24)).isEqualTo(json("{\"name\": \"More feedback\", \"value\": \"… (9 more notes)\", \"inline\": false}"));
    }

    @Test
    void exactlyTwentyTwoNotesFitWithoutACount() {
        String notes = IntStream.rangeClosed(1, 22).mapToObj(i -> "{\"note\": \"n%d\"}".formatted(i))
                .collect(Collectors.joining(", ", "[", "]"));
        JsonObject embed = embed(event(Event.RUN_TEST_FAILURE, """
                {"run": {"id": 7, "environment": "QA"}, "failed_test": {"id": 12, "title": "Login"},
                 "browser": {"description": "Chrome"}, "feedback": %s}""".formatted(notes)));

        List<JsonObject> fields = embed.getJsonArray("fields").getValuesAs(JsonObject.class);
        assertThat(fields).hasSize(25);
        assertThat(fields.get(24).getString("value")).isEqualTo("n22");
    }

    @Test
    void longFeedbackIsCutToDiscordsLimitsAndTheRestCounted() {
        String note = "x".repeat(2000);
        String notes = IntStream.rangeClosed(1, 10)
                .mapToObj(i -> "{\"worker_name\": \"W%d\", \"note\": \"%s\"}".formatted(i, note))
                .collect(Collectors.joining(", ", "[", "]"));
        JsonObject embed = embed(event(Event.RUN_TEST_FAILURE, """
                {"run": {"id": 7, "description": "Nightly"}, "failed_test": {"id": 12, "title": "Login"},
                 "feedback": %s}""".formatted(notes)));

        List<JsonObject> fields = embed.getJsonArray("fields").getValuesAs(JsonObject.class);
        assertThat(totalText(embed)).isLessThanOrEqualTo(6000).isGreaterThan(5900);
        assertThat(fields).allSatisfy(field -> assertThat(field.getString("value").length()).isLessThanOrEqualTo(1024));
        assertThat(fields.get(1).getString("value")).isEqualTo("x".repeat(1023) + "…");
        assertThat(fields.get(6).getString("value")).endsWith("x…").hasSizeLessThan(1024);
        assertThat(fields.getLast()).isEqualTo(json(
                "{\"name\": \"More feedback\", \"value\": \"… (4 more notes)\", \"inline\": false}"));
        assertThat(fields).hasSize(8);
    }

    @Test
    void longTitleAndDescriptionAreCutToTheirLimits() {
        JsonObject embed = embed(event(Event.RUN_ERROR, """
                {"run": {"id": 7, "description": "%s", "error_reason": "%s"}}"""
                .formatted("d".repeat(300), "r".repeat(5000))));

        assertThat(embed.getString("title")).isEqualTo("Run #7 (" + "d".repeat(247) + "…");
        assertThat(embed.getString("description")).isEqualTo("r".repeat(4095) + "…");
        assertThat(totalText(embed)).isLessThanOrEqualTo(6000);
    }

    @Test
    void cuttingNeverSplitsASurrogatePairOrLeavesALoneEscape() {
        assertThat(EmbedBudget.cut("ab😀cd", 4)).isEqualTo("ab…");
        assertThat(EmbedBudget.cut("ab\\*cd", 4)).isEqualTo("ab…");
        assertThat(EmbedBudget.cut("ab\\\\cd", 5)).isEqualTo("ab\\\\…");
        assertThat(EmbedBudget.cut("abc", 3)).isEqualTo("abc");
        assertThat(EmbedBudget.cut("abc", 0)).isEmpty();
    }

    static int totalText(JsonObject embed) {
        int total = embed.getString("title", "").length() + embed.getString("description", "").length()
                + embed.getJsonObject("footer").getString("text").length();
        if (embed.containsKey("fields")) {
            for (JsonObject field : embed.getJsonArray("fields").getValuesAs(JsonObject.class)) {
                total += field.getString("name").length() + field.getString("value").length();
            }
        }
        return total;
    }

    private static JsonObject embed(Event event) {
        return DiscordEmbeds.render(event, NOW).getJsonArray("embeds").getJsonObject(0);
    }

    static Event event(String type, String payload) {
        return new Event(type, Optional.of("evt-1"), json(payload));
    }

    static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }
}
