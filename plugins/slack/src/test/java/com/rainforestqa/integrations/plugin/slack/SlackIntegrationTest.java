package com.rainforestqa.integrations.plugin.slack;

import static com.rainforestqa.integrations.plugin.slack.SlackMessagesTest.event;
import static com.rainforestqa.integrations.plugin.slack.SlackMessagesTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.rainforestqa.integrations.api.ErrorType;
import com.rainforestqa.integrations.api.Event;
import com.rainforestqa.integrations.api.IntegrationException;
import com.rainforestqa.integrations.api.Outcome;
import com.rainforestqa.integrations.api.Settings;
import com.rainforestqa.integrations.testkit.FakeTarget;
import com.rainforestqa.integrations.testkit.RecordedRequest;
import com.rainforestqa.integrations.testkit.Reply;
import com.rainforestqa.integrations.testkit.TestContext;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SlackIntegrationTest {
    private static final String WEBHOOK_PATH = "/services/T0001/B0002/s3cr3tT0k3n";
    private static final Event INTEGRATION_TEST =
            new Event(Event.INTEGRATION_TEST, Optional.empty(), JsonObject.EMPTY_JSON_OBJECT);

    private final FakeTarget slack = FakeTarget.start();
    private final TestContext context = new TestContext();
    private final SlackIntegration integration = new SlackIntegration();
    private final URI webhook = slack.uri(WEBHOOK_PATH);

    @AfterEach
    void close() {
        context.close();
        slack.close();
    }

    @Test
    void acceptedMessageIsDeliveredAsJsonToTheWebhook() {
        slack.enqueue(Reply.slackOk());

        Outcome outcome = integration.deliver(INTEGRATION_TEST, settings(webhook.toString()), context);

        assertThat(outcome).isEqualTo(Outcome.delivered());
        RecordedRequest request = slack.onlyRequest();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo(WEBHOOK_PATH);
        assertThat(request.header("content-type")).contains("application/json");
        assertThat(request.json()).isEqualTo(json("""
                {"attachments": [{"color": "good",
                  "fallback": "Your Slack integration with Rainforest works: this channel will be notified about your runs.",
                  "text": "Your Slack integration with Rainforest works: this channel will be notified about your runs."}]}
                """));
    }

    @Test
    void runEventsAreSentAsRendered() {
        Event event = event(Event.RUN_COMPLETION, """
                {"frontend_url": "https://app.rainforestqa.com/runs/3",
                 "run": {"id": 3, "result": "passed", "total_tests": 1, "total_passed_tests": 1}}
                """);

        assertThat(integration.deliver(event, settings(webhook.toString()), context)).isEqualTo(Outcome.delivered());

        assertThat(slack.onlyRequest().json()).isEqualTo(SlackMessagesTest.rendered(event));
        assertThat(slack.onlyRequest().json().getJsonArray("attachments").getJsonObject(0).getString("color"))
                .isEqualTo("good");
    }

    @Test
    void surroundingWhitespaceInTheUrlIsIgnored() {
        assertThat(integration.deliver(INTEGRATION_TEST, settings("  " + webhook + "\n"), context))
                .isEqualTo(Outcome.delivered());
        assertThat(slack.onlyRequest().path()).isEqualTo(WEBHOOK_PATH);
    }

    @ParameterizedTest(name = "{0} {1} is {2}")
    @CsvSource(textBlock = """
            403, invalid_token,                           USER_CONFIGURATION_ERROR
            403, action_prohibited,                       USER_CONFIGURATION_ERROR
            404, no_service,                              USER_CONFIGURATION_ERROR
            404, no_service_id,                           USER_CONFIGURATION_ERROR
            404, channel_not_found,                       USER_CONFIGURATION_ERROR
            410, channel_is_archived,                     USER_CONFIGURATION_ERROR
            400, user_not_found,                          USER_CONFIGURATION_ERROR
            403, posting_to_general_channel_denied,       USER_CONFIGURATION_ERROR
            400, posting_to_general_channel_denied,       USER_CONFIGURATION_ERROR
            404, no_team,                                 USER_CONFIGURATION_ERROR
            403, team_disabled,                           USER_CONFIGURATION_ERROR
            500, action_prohibited,                       USER_CONFIGURATION_ERROR
            400, invalid_payload,                         MISCONFIGURED_INTEGRATION
            400, no_text,                                 MISCONFIGURED_INTEGRATION
            500, no_text,                                 MISCONFIGURED_INTEGRATION
            400, missing_text_or_fallback_or_attachments, MISCONFIGURED_INTEGRATION
            400, invalid_blocks,                          MISCONFIGURED_INTEGRATION
            400, too_many_attachments,                    MISCONFIGURED_INTEGRATION
            500, rollup_error,                            TRANSIENT
            """)
    void slackErrorCodesMapToErrorTypes(int status, String code, ErrorType expected) {
        slack.enqueue(Reply.slackError(status, code));

        IntegrationException e = failure(INTEGRATION_TEST, webhook.toString());

        assertThat(e.type()).isEqualTo(expected);
        assertThat(e.status()).hasValue(status);
        assertThat(e.response()).hasValueSatisfying(response -> {
            assertThat(response.status()).isEqualTo(status);
            assertThat(response.body()).isEqualTo(code);
        });
        assertThat(e.getMessage()).startsWith("Slack answered " + status + " " + code + ": ");
        assertThat(slack.requests()).hasSize(1);
    }

    @Test
    void channelNotFoundTellsTheUserWhatIsWrong() {
        slack.enqueue(Reply.slackError(404, "channel_not_found"));

        assertThat(failure(INTEGRATION_TEST, webhook.toString()).getMessage())
                .isEqualTo("Slack answered 404 channel_not_found: the webhook's channel no longer exists");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(textBlock = """
            429, rate_limited
            429, '{"ok":false,"error":"rate_limited"}'
            429, ''
            500, ''
            502, <html>Bad Gateway</html>
            503, service unavailable
            """)
    void rateLimitsAndServerErrorsAreTransient(int status, String body) {
        slack.enqueue(Reply.slackError(status, body).withHeader("Retry-After", "1"));

        IntegrationException e = failure(INTEGRATION_TEST, webhook.toString());

        assertThat(e.type()).isEqualTo(ErrorType.TRANSIENT);
        assertThat(e.status()).hasValue(status);
        assertThat(e.response().orElseThrow().body()).isEqualTo(body);
        assertThat(e.response().orElseThrow().header("retry-after")).contains("1");
    }

    @ParameterizedTest(name = "{0} {1} is {2}")
    @CsvSource(textBlock = """
            400, something_new,       MISCONFIGURED_INTEGRATION, 'Slack answered 400: Slack refused the message'
            422, '',                  MISCONFIGURED_INTEGRATION, 'Slack answered 422: Slack refused the message'
            401, Unauthorized,        USER_CONFIGURATION_ERROR,  'Slack answered 401: check the webhook URL'
            403, Forbidden,           USER_CONFIGURATION_ERROR,  'Slack answered 403: check the webhook URL'
            404, <html>Not found</html>, USER_CONFIGURATION_ERROR, 'Slack answered 404: check the webhook URL'
            410, gone,                USER_CONFIGURATION_ERROR,  'Slack answered 410: check the webhook URL'
            302, '',                  USER_CONFIGURATION_ERROR,  'Slack answered 302: the URL does not lead to a Slack webhook; check the webhook URL'
            """)
    void unknownAnswersAreMappedByStatusWithoutEchoingTheBody(int status, String body, ErrorType expected,
            String message) {
        slack.enqueue(Reply.slackError(status, body));

        IntegrationException e = failure(INTEGRATION_TEST, webhook.toString());

        assertThat(e.type()).isEqualTo(expected);
        assertThat(e.getMessage()).isEqualTo(message);
        assertThat(e.response().orElseThrow().body()).isEqualTo(body);
    }

    @Test
    void unreachableWebhookIsTransient() {
        slack.close();

        IntegrationException e = failure(INTEGRATION_TEST, webhook.toString());

        assertThat(e.type()).isEqualTo(ErrorType.TRANSIENT);
        assertThat(e.response()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"hooks.slack.com/services/T0001/B0002/s3cr3tT0k3n",
            "ftp://hooks.slack.com/services/T0001/B0002/s3cr3tT0k3n",
            "https:///services/T0001/B0002/s3cr3tT0k3n",
            "https://hooks.slack.com/services/T0001/B0002/s3cr3tT0k3n with spaces",
            "mailto:s3cr3tT0k3n@example.com"})
    void urlThatIsNotAnAbsoluteHttpUrlIsAUserErrorWithoutEchoingIt(String url) {
        IntegrationException e = failure(INTEGRATION_TEST, url);

        assertThat(e.type()).isEqualTo(ErrorType.USER_CONFIGURATION_ERROR);
        assertThat(e.getMessage()).isEqualTo("setting \"url\" is not an absolute http(s) URL; "
                + "expected a Slack webhook URL such as https://hooks.slack.com/services/...");
        assertThat(e.getCause()).isNull();
        assertThat(slack.requests()).isEmpty();
    }

    @Test
    void missingUrlIsMisconfigured() {
        IntegrationException e = catchThrowableOfType(IntegrationException.class,
                () -> integration.deliver(INTEGRATION_TEST, Settings.of(Map.of()), context));

        assertThat(e.type()).isEqualTo(ErrorType.MISCONFIGURED_INTEGRATION);
        assertThat(e.getMessage()).isEqualTo("required setting \"url\" is missing");
        assertThat(slack.requests()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(textBlock = """
            403, invalid_token
            404, no_service
            400, invalid_payload
            429, rate_limited
            500, rollup_error
            418, teapot
            """)
    void webhookUrlNeverAppearsInFailureMessages(int status, String code) {
        slack.enqueue(Reply.slackError(status, code));

        IntegrationException e = failure(INTEGRATION_TEST, webhook.toString());

        assertThat(e.getMessage()).doesNotContain(webhook.toString()).doesNotContain("s3cr3tT0k3n")
                .doesNotContain("/services/");
    }

    @Test
    void unknownEventTypeIsSkippedWithoutSending() {
        Event event = event("run_started", "{\"run\": {\"id\": 1}}");

        assertThat(integration.deliver(event, settings(webhook.toString()), context))
                .isEqualTo(Outcome.skipped("Slack has no message for run_started"));
        assertThat(slack.requests()).isEmpty();
    }

    private IntegrationException failure(Event event, String url) {
        IntegrationException e = catchThrowableOfType(IntegrationException.class,
                () -> integration.deliver(event, settings(url), context));
        assertThat(e).as("expected an IntegrationException").isNotNull();
        assertThat(e.getMessage()).doesNotContain("s3cr3tT0k3n");
        return e;
    }

    private static Settings settings(String url) {
        return Settings.of(Map.of("url", Json.createValue(url)));
    }
}
