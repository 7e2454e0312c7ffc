package com.rainforestqa.integrations.plugin.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rainforestqa.integrations.api.Event;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;

import java.io.StringReader;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class SlackMessagesTest {

    @Test
    void passedRunCompletionIsGoodWithCountsPercentagesAndLinks() {
        Event event = event(Event.RUN_COMPLETION, """
                {"frontend_url": "https://app.rainforestqa.com/runs/123",
                 "run": {"id": 123, "description": "Nightly", "result": "passed", "time_taken": 1503,
                         "environment": {"name": "QA"}, "total_tests": 10, "total_passed_tests": 8,
                         "total_failed_tests": 1, "total_no_result_tests": 1}}
                """);

        assertThat(rendered(event)).isEqualTo(json("""
                {"attachments": [{
                  "color": "good",
                  "fallback": "Your Rainforest run (Run #123: Nightly) has passed.",
                  "text": "Your Rainforest run (<https://app.rainforestqa.com/runs/123|Run #123: Nightly>) has passed.",
                  "fields": [
                    {"title": "Result", "value": "Passed", "short": true},
                    {"title": "Passed: 8 (80%)",
                     "value": "<https://app.rainforestqa.com/runs/123?expandedGroups%5B%5D=passed|View passed tests>",
                     "short": true},
                    {"title": "Duration", "value": "25 minutes, 3 seconds", "short": true},
                    {"title": "Failed: 1 (10%)",
                     "value": "<https://app.rainforestqa.com/runs/123?expandedGroups%5B%5D=failed|View failed tests>",
                     "short": true},
                    {"title": "Environment", "value": "QA", "short": true},
                    {"title": "No result: 1 (10%)",
                     "value": "<https://app.rainforestqa.com/runs/123?expandedGroups%5B%5D=no_result|View tests without a result>",
                     "short": true}
                  ]}]}
                """));
    }

    @Test
    void failedRunCompletionIsDanger() {
        Event event = event(Event.RUN_COMPLETION, """
                {"frontend_url": "https://app.rainforestqa.com/runs/7", "run": {"id": 7, "result": "failed"}}
                """);

        JsonObject attachment = attachment(event);

        assertThat(attachment.getString("color")).isEqualTo("danger");
        assertThat(attachment.getString("text"))
                .isEqualTo("Your Rainforest run (<https://app.rainforestqa.com/runs/7|Run #7>) has failed.");
        assertThat(attachment.getJsonArray("fields")).isEqualTo(json("""
                {"a": [{"title": "Result", "value": "Failed", "short": true}]}
                """).getJsonArray("a"));
    }

    @Test
    void runCompletionWithAnotherResultIsDangerAndHumanizesTheResult() {
        Event event = event(Event.RUN_COMPLETION, "{\"run\": {\"id\": 7, \"result\": \"no_result\"}}");

        JsonObject attachment = attachment(event);

        assertThat(attachment.getString("color")).isEqualTo("danger");
        assertThat(attachment.getString("fallback")).isEqualTo("Your Rainforest run (Run #7) is complete.");
        assertThat(attachment.getJsonArray("fields").getJsonObject(0).getString("value")).isEqualTo("No result");
    }

    @Test
    void emptyDescriptionLeavesNoStraySeparator() {
        Event event = event(Event.RUN_COMPLETION, """
                {"frontend_url": "https://app.rainforestqa.com/runs/123",
                 "run": {"id": 123, "description": "", "result": "passed"}}
                """);

        JsonObject attachment = attachment(event);

        assertThat(attachment.getString("text"))
                .isEqualTo("Your Rainforest run (<https://app.rainforestqa.com/runs/123|Run #123>) has passed.");
        assertThat(attachment.getString("fallback")).isEqualTo("Your Rainforest run (Run #123) has passed.");
    }

    @Test
    void percentagesAreRoundedShares() {
        Event event = event(Event.RUN_COMPLETION, """
                {"run": {"id": 1, "total_tests": 3, "total_passed_tests": 2, "total_failed_tests": 1,
                         "total_no_result_tests": 0}}
                """);

        assertThat(attachment(event).getJsonArray("fields")).extracting(field -> field.asJsonObject().getString("title"))
                .containsExactly("Passed: 2 (67%)", "Failed: 1 (33%)", "No result: 0 (0%)");
    }

    @Test
    void countsWithoutATotalHaveNoPercentage() {
        Event zero = event(Event.RUN_COMPLETION,
                "{\"run\": {\"id\": 1, \"total_tests\": 0, \"total_passed_tests\": 0}}");
        Event absent = event(Event.RUN_COMPLETION, "{\"run\": {\"id\": 1, \"total_failed_tests\": 4}}");

        assertThat(attachment(zero).getJsonArray("fields").getJsonObject(0).getString("title")).isEqualTo("Passed: 0");
        assertThat(attachment(absent).getJsonArray("fields").getJsonObject(0).getString("title"))
                .isEqualTo("Failed: 4");
    }

    @Test
    void groupLinksJoinAnExistingQuery() {
        Event event = event(Event.RUN_COMPLETION, """
                {"frontend_url": "https://app.rainforestqa.com/runs/9?tab=results#top",
                 "run": {"id": 9, "total_passed_tests": 1}}
                """);

        JsonObject attachment = attachment(event);

        assertThat(attachment.getJsonArray("fields").getJsonObject(0).getString("value")).isEqualTo(
                "<https://app.rainforestqa.com/runs/9?tab=results&amp;expandedGroups%5B%5D=passed#top|View passed tests>");
        assertThat(attachment.getString("text")).isEqualTo(
                "Your Rainforest run (<https://app.rainforestqa.com/runs/9?tab=results#top|Run #9>) is complete.");
    }

    @Test
    void missingNestedFieldsAreLeftOut() {
        Event event = event(Event.RUN_COMPLETION, "{\"run\": {}}");

        assertThat(rendered(event)).isEqualTo(json("""
                {"attachments": [{"color": "danger",
                  "fallback": "Your Rainforest run (Run) is complete.",
                  "text": "Your Rainforest run (Run) is complete."}]}
                """));
    }

    @Test
    void negativeDurationIsLeftOut() {
        Event event = event(Event.RUN_COMPLETION, "{\"run\": {\"id\": 1, \"time_taken\": -5}}");

        assertThat(attachment(event).containsKey("fields")).isFalse();
    }

    @Test
    void runErrorShowsTheReason() {
        Event event = event(Event.RUN_ERROR, """
                {"frontend_url": "https://app.rainforestqa.com/runs/5",
                 "run": {"id": 5, "description": "Smoke", "error_reason": "We were unable to create social accounts"}}
                """);

        assertThat(rendered(event)).isEqualTo(json("""
                {"attachments": [{"color": "danger",
                  "fallback": "Your Rainforest run (Run #5: Smoke) has encountered an error.",
                  "text": "Your Rainforest run (<https://app.rainforestqa.com/runs/5|Run #5: Smoke>) has encountered an error.",
                  "fields": [{"title": "Error reason", "value": "We were unable to create social accounts", "short": false}]
                }]}
                """));
    }

    @Test
    void runErrorWithoutAReasonExplainsWhereToGetHelp() {
        Event empty = event(Event.RUN_ERROR, "{\"run\": {\"id\": 5, \"error_reason\": \"\"}}");
        Event absent = event(Event.RUN_ERROR, "{\"run\": {\"id\": 5}}");

        assertThat(attachment(empty).getJsonArray("fields").getJsonObject(0).getString("value"))
                .isEqualTo("No reason was given. If you'd like help debugging this, email help@rainforestqa.com.");
        assertThat(attachment(absent).getJsonArray("fields")).isEqualTo(attachment(empty).getJsonArray("fields"));
    }

    @Test
    void webhookTimeoutShowsTheEnvironment() {
        Event event = event(Event.WEBHOOK_TIMEOUT, """
                {"frontend_url": "https://app.rainforestqa.com/runs/7", "run": {"id": 7, "environment": "Staging"}}
                """);

        assertThat(rendered(event)).isEqualTo(json("""
                {"attachments": [{"color": "danger",
                  "fallback": "Your Rainforest run (Run #7) has timed out due to a webhook failure. If you need a hand debugging it, email help@rainforestqa.com.",
                  "text": "Your Rainforest run (<https://app.rainforestqa.com/runs/7|Run #7>) has timed out due to a webhook failure. If you need a hand debugging it, email help@rainforestqa.com.",
                  "fields": [{"title": "Environment", "value": "Staging", "short": true}]
                }]}
                """));
    }

    @Test
    void webhookTimeoutWithoutEnvironmentHasNoFields() {
        Event event = event(Event.WEBHOOK_TIMEOUT, "{\"run\": {\"id\": 7}}");

        assertThat(attachment(event).containsKey("fields")).isFalse();
    }

    @Test
    void runTestFailureLinksTheTestAndListsFeedback() {
        Event event = event(Event.RUN_TEST_FAILURE, """
                {"frontend_url": "https://app.rainforestqa.com/runs/666",
                 "run": {"id": 666, "description": "Release", "environment": {"name": "QA"}},
                 "failed_test": {"id": 7, "title": "Log in", "frontend_url": "https://app.rainforestqa.com/tests/7"},
                 "browser": {"description": "Chrome 120"},
                 "feedback": [{"worker_name": "Ann", "note": "The button is missing"},
                              {"note": "Page did not load"},
                              {"worker_name": "Bob"},
                              {}]}
                """);

        assertThat(rendered(event)).isEqualTo(json("""
                {"attachments": [{"color": "danger",
                  "fallback": "Your Rainforest run (Run #666: Release) has a failed test.",
                  "text": "Your Rainforest run (<https://app.rainforestqa.com/runs/666|Run #666: Release>) has a failed test.",
                  "fields": [
                    {"title": "Failed test", "value": "<https://app.rainforestqa.com/tests/7|Test #7: Log in>", "short": true},
                    {"title": "Environment", "value": "QA", "short": true},
                    {"title": "Browser", "value": "Chrome 120", "short": true},
                    {"title": "Feedback from Ann", "value": "The button is missing", "short": false},
                    {"title": "Feedback", "value": "Page did not load", "short": false},
                    {"title": "Feedback from Bob", "value": "", "short": false}
                  ]}]}
                """));
    }

    @Test
    void runTestFailureWithoutTestLinkOrDetailsRendersWhatIsThere() {
        Event event = event(Event.RUN_TEST_FAILURE, """
                {"run": {"id": 1}, "failed_test": {"title": "Checkout"}, "browser": {}}
                """);

        JsonObject attachment = attachment(event);

        assertThat(attachment.getString("text")).isEqualTo("Your Rainforest run (Run #1) has a failed test.");
        assertThat(attachment.getJsonArray("fields")).isEqualTo(json("""
                {"a": [{"title": "Failed test", "value": "Test: Checkout", "short": true}]}
                """).getJsonArray("a"));
    }

    @Test
    void integrationTestIsAGoodConfirmation() {
        Event event = new Event(Event.INTEGRATION_TEST, Optional.empty(), JsonObject.EMPTY_JSON_OBJECT);

        assertThat(rendered(event)).isEqualTo(json("""
                {"attachments": [{"color": "good",
                  "fallback": "Your Slack integration with Rainforest works: this channel will be notified about your runs.",
                  "text": "Your Slack integration with Rainforest works: this channel will be notified about your runs."}]}
                """));
    }

    @Test
    void userTextIsEscapedSoItCannotMentionOrLink() {
        Event event = event(Event.RUN_TEST_FAILURE, """
                {"frontend_url": "https://app.rainforestqa.com/runs/1?a=1&b=|2",
                 "run": {"id": 1, "description": "<!channel> & <https://evil.example|click>",
                         "environment": "a<b>"},
                 "failed_test": {"id": 2, "title": "x > y", "frontend_url": "https://app.rainforestqa.com/tests/2"},
                 "browser": {"description": "IE & co"},
                 "feedback": [{"worker_name": "<@U123>", "note": "1 < 2"}]}
                """);

        JsonObject attachment = attachment(event);

        assertThat(attachment.getString("text")).isEqualTo("Your Rainforest run ("
                + "<https://app.rainforestqa.com/runs/1?a=1&amp;b=%7C2"
                + "|Run #1: &lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;>) has a failed test.");
        assertThat(attachment.getString("fallback")).isEqualTo("Your Rainforest run ("
                + "Run #1: &lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;) has a failed test.");
        assertThat(attachment.getJsonArray("fields")).extracting(field -> field.asJsonObject().getString("title")
                + " = " + field.asJsonObject().getString("value")).containsExactly(
                "Failed test = <https://app.rainforestqa.com/tests/2|Test #2: x &gt; y>",
                "Environment = a&lt;b&gt;",
                "Browser = IE &amp; co",
                "Feedback from &lt;@U123&gt; = 1 &lt; 2");
    }

    @Test
    void handlesTheFiveEventTypesOnly() {
        assertThat(SlackMessages.handles(Event.RUN_COMPLETION)).isTrue();
        assertThat(SlackMessages.handles(Event.RUN_ERROR)).isTrue();
        assertThat(SlackMessages.handles(Event.WEBHOOK_TIMEOUT)).isTrue();
        assertThat(SlackMessages.handles(Event.RUN_TEST_FAILURE)).isTrue();
        assertThat(SlackMessages.handles(Event.INTEGRATION_TEST)).isTrue();
        assertThat(SlackMessages.handles("run_started")).isFalse();
        assertThatThrownBy(() -> SlackMessages.render(event("run_started", "{}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no Slack message for event type run_started");
    }

    static Event event(String type, String payload) {
        return new Event(type, Optional.empty(), json(payload));
    }

    static JsonObject json(String text) {
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }

    /** The message as the webhook receives it: JSON text, parsed here to compare documents. */
    static JsonObject rendered(Event event) {
        return json(SlackMessages.render(event));
    }

    private static JsonObject attachment(Event event) {
        return rendered(event).getJsonArray("attachments").getJsonObject(0);
    }
}
