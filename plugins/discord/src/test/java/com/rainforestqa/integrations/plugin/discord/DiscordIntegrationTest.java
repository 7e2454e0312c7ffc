package com.rainforestqa.integrations.plugin.discord;

import static com.rainforestqa.integrations.plugin.discord.DiscordEmbedsTest.NOW;
import static com.rainforestqa.integrations.plugin.discord.DiscordEmbedsTest.event;
import static com.rainforestqa.integrations.plugin.discord.DiscordEmbedsTest.json;
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

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DiscordIntegrationTest {
    private static final String WEBHOOK_PATH = "/api/webhooks/112233/s3cr3tT0k3n";
    private static final Event INTEGRATION_TEST =
            new Event(Event.INTEGRATION_TEST, Optional.empty(), JsonObject.EMPTY_JSON_OBJECT);
    private static final String CREATED = "{\"id\": \"1\", \"type\": 0, \"channel_id\": \"9\"}";

    private final FakeTarget discord = FakeTarget.start();
    private final TestContext context = new TestContext(Map.of(), Clock.fixed(NOW.plusMillis(300), ZoneOffset.UTC));
    private final DiscordIntegration integration = new DiscordIntegration();
    private final String url = discord.uri(WEBHOOK_PATH).toString();

    @AfterEach
    void close() {
        context.close();
        discord.close();
    }

    @Test
    void messageIsPostedAsJsonWithWaitTrue() {
        discord.enqueue(Reply.json(200, CREATED));

        assertThat(integration.deliver(INTEGRATION_TEST, settings(url), context)).isEqualTo(Outcome.delivered());

        RecordedRequest request = discord.onlyRequest();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo(WEBHOOK_PATH);
        assertThat(request.query()).isEqualTo("wait=true");
        assertThat(request.header("content-type")).contains("application/json");
        assertThat(request.headers()).doesNotContainKey("authorization");
        assertThat(request.json()).isEqualTo(json("""
                {"embeds": [{"title": "Rainforest is connected", "color": 3066993,
                  "description": "Your Discord integration with Rainforest works: this channel will be notified about your runs.",
                  "footer": {"text": "Rainforest QA"}, "timestamp": "2026-01-01T00:00:00Z"}]}"""));
    }

    @Test
    void runEventsAreSentAsRendered() {
        Event event = event(Event.RUN_COMPLETION, """
                {"frontend_url": "https://app.rainforestqa.com/runs/3",
                 "run": {"id": 3, "result": "failed", "total_tests": 2, "total_failed_tests": 1}}""");

        assertThat(integration.deliver(event, settings(url), context)).isEqualTo(Outcome.delivered());

        assertThat(discord.onlyRequest().json()).isEqualTo(DiscordEmbeds.render(event, NOW));
    }

    @ParameterizedTest(name = "{0} becomes {1}")
    @CsvSource(textBlock = """
            '?thread_id=42',             'thread_id=42&wait=true'
            '?wait=false&thread_id=42',  'thread_id=42&wait=true'
            '?wait',                     'wait=true'
            '?thread_id=42&wait=true',   'thread_id=42&wait=true'
            '/',                         'wait=true'
            '#fragment',                 'wait=true'
            """)
    void waitIsTrueAndOtherParametersStay(String suffix, String query) {
        integration.deliver(INTEGRATION_TEST, settings(url + suffix), context);

        assertThat(discord.onlyRequest().query()).isEqualTo(query);
    }

    @Test
    void versionedApiPathsAreAccepted() {
        integration.deliver(INTEGRATION_TEST, settings(discord.uri("/api/v10/webhooks/1/t0k").toString()), context);

        assertThat(discord.onlyRequest().path()).isEqualTo("/api/v10/webhooks/1/t0k");
    }

    @ParameterizedTest
    @ValueSource(ints = {200, 204})
    void successIsDelivered(int status) {
        discord.enqueue(status == 204 ? Reply.status(204) : Reply.json(200, CREATED));

        assertThat(integration.deliver(INTEGRATION_TEST, settings(url), context)).isEqualTo(Outcome.delivered());
    }

    @ParameterizedTest(name = "{0} {1} is {2}")
    @CsvSource(delimiter = '|', textBlock = """
            404 | {"message": "Unknown Webhook", "code": 10015}      | USER_CONFIGURATION_ERROR  | Discord answered 404 (Unknown Webhook, code 10015): the webhook was deleted or its URL is mistyped; create a webhook in the channel's settings (Integrations, Webhooks) and paste its URL
            401 | {"message": "Invalid Webhook Token", "code": 50027} | USER_CONFIGURATION_ERROR | Discord answered 401 (Invalid Webhook Token, code 50027): the webhook was deleted or its URL is mistyped; create a webhook in the channel's settings (Integrations, Webhooks) and paste its URL
            400 | {"message": "Invalid Webhook Token", "code": 50027} | USER_CONFIGURATION_ERROR | Discord answered 400 (Invalid Webhook Token, code 50027): the webhook was deleted or its URL is mistyped; create a webhook in the channel's settings (Integrations, Webhooks) and paste its URL
            401 | {"message": "401: Unauthorized", "code": 0}        | USER_CONFIGURATION_ERROR  | Discord answered 401 (401: Unauthorized, code 0): the webhook was deleted or its URL is mistyped; create a webhook in the channel's settings (Integrations, Webhooks) and paste its URL
            404 | <html>Not found</html>                              | USER_CONFIGURATION_ERROR  | Discord answered 404: the webhook was deleted or its URL is mistyped; create a webhook in the channel's settings (Integrations, Webhooks) and paste its URL
            403 | {"message": "Missing Permissions", "code": 50013}  | USER_CONFIGURATION_ERROR  | Discord answered 403 (Missing Permissions, code 50013): the webhook may not post to its channel; check the channel's permissions
            400 | {"message": "Invalid Form Body", "code": 50035, "errors": {}} | MISCONFIGURED_INTEGRATION | Discord answered 400 (Invalid Form Body, code 50035): Discord refused the message
            400 | {"message": "Cannot send an empty message", "code": 50006} | MISCONFIGURED_INTEGRATION | Discord answered 400 (Cannot send an empty message, code 50006): Discord refused the message
            400 | {"code": 220001}                                    | MISCONFIGURED_INTEGRATION | Discord answered 400 (code 220001): Discord refused the message
            413 | ''                                                  | MISCONFIGURED_INTEGRATION | Discord answered 413: Discord refused the message
            301 | ''                                                  | USER_CONFIGURATION_ERROR  | Discord answered 301: the URL redirects, so it is not a Discord webhook URL; copy the URL from the webhook's settings
            500 | {"message": "500: Internal Server Error", "code": 0} | TRANSIENT                | Discord answered 500 (500: Internal Server Error, code 0): Discord failed on its side
            502 | <html>Bad Gateway</html>                            | TRANSIENT                 | Discord answered 502: Discord failed on its side
            503 | ''                                                  | TRANSIENT                 | Discord answered 503: Discord failed on its side
            """)
    void failuresMapToErrorTypes(int status, String body, ErrorType expected, String message) {
        discord.enqueue(Reply.status(status, body));

        IntegrationException e = failure(INTEGRATION_TEST, url);

        assertThat(e.type()).isEqualTo(expected);
        assertThat(e.getMessage()).isEqualTo(message);
        assertThat(e.status()).hasValue(status);
        assertThat(e.response().orElseThrow().body()).isEqualTo(body);
        assertThat(e.retryAfter()).isEmpty();
        assertThat(discord.requests()).hasSize(1);
    }

    @ParameterizedTest(name = "retry_after {0} waits {1}")
    @CsvSource(textBlock = """
            1.5,   PT1.5S
            0.001, PT0.001S
            0.0004, PT0.001S
            64,    PT1M4S
            """)
    void rateLimitIsTransientAndWaitsForRetryAfterFromTheBody(String retryAfter, Duration wait) {
        discord.enqueue(Reply.json(429, "{\"message\": \"You are being rate limited.\", \"retry_after\": %s, \"global\": false}"
                .formatted(retryAfter)).withHeader("Retry-After", "1"));

        IntegrationException e = failure(INTEGRATION_TEST, url);

        assertThat(e.type()).isEqualTo(ErrorType.TRANSIENT);
        assertThat(e.getMessage())
                .isEqualTo("Discord answered 429 (You are being rate limited.): Discord is rate-limiting this webhook");
        assertThat(e.retryAfter()).hasValue(wait);
        assertThat(e.status()).hasValue(429);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "<html>Too Many Requests</html>", "{\"message\": \"slow\"}", "{\"retry_after\": -1}",
            "{\"retry_after\": \"soon\"}"})
    void rateLimitWithoutAUsableRetryAfterLeavesTheWaitToTheHost(String body) {
        discord.enqueue(Reply.status(429, body).withHeader("Retry-After", "2"));

        IntegrationException e = failure(INTEGRATION_TEST, url);

        assertThat(e.type()).isEqualTo(ErrorType.TRANSIENT);
        assertThat(e.retryAfter()).isEmpty();
        assertThat(e.response().orElseThrow().header("retry-after")).contains("2");
    }

    @Test
    void unreachableWebhookIsTransient() {
        discord.close();

        IntegrationException e = failure(INTEGRATION_TEST, url);

        assertThat(e.type()).isEqualTo(ErrorType.TRANSIENT);
        assertThat(e.response()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"discord.com/api/webhooks/1/s3cr3tT0k3n", "ftp://discord.com/api/webhooks/1/s3cr3tT0k3n",
            "https:///api/webhooks/1/s3cr3tT0k3n", "https://discord.com/api/webhooks/1/s3cr3tT0k3n with spaces",
            "https://discord.com/channels/1/s3cr3tT0k3n", "https://discord.com/api/webhooks/1/s3cr3tT0k3n/slack",
            "https://discord.com/api/webhooks/1", "https://discord.com/api/webhooks/1/s3cr3tT0k3n/github"})
    void urlThatIsNotADiscordWebhookIsAUserConfigurationErrorWithoutEchoingIt(String badUrl) {
        IntegrationException e = failure(INTEGRATION_TEST, badUrl);

        assertThat(e.type()).isEqualTo(ErrorType.USER_CONFIGURATION_ERROR);
        assertThat(e.getMessage()).matches("setting \"url\" is not (an absolute http\\(s\\) URL|a Discord webhook URL); "
                + "expected the channel's webhook URL, from its settings \\(Integrations, Webhooks, Copy Webhook URL\\): "
                + "https://discord.com/api/webhooks/\\.\\.\\.");
        assertThat(e.getCause()).isNull();
        assertThat(discord.requests()).isEmpty();
    }

    @Test
    void missingUrlIsMisconfigured() {
        IntegrationException e = catchThrowableOfType(IntegrationException.class,
                () -> integration.deliver(INTEGRATION_TEST, Settings.of(Map.of()), context));

        assertThat(e.type()).isEqualTo(ErrorType.MISCONFIGURED_INTEGRATION);
        assertThat(e.getMessage()).isEqualTo("required setting \"url\" is missing");
    }

    @Test
    void unknownEventTypeIsSkippedWithoutSending() {
        assertThat(integration.deliver(event("run_started", "{\"run\": {\"id\": 1}}"), settings(url), context))
                .isEqualTo(Outcome.skipped("Discord has no message for run_started"));
        assertThat(discord.requests()).isEmpty();
    }

    private IntegrationException failure(Event event, String webhook) {
        IntegrationException e = catchThrowableOfType(IntegrationException.class,
                () -> integration.deliver(event, settings(webhook), context));
        assertThat(e).as("expected an IntegrationException").isNotNull();
        assertThat(e.getMessage()).doesNotContain("s3cr3tT0k3n").doesNotContain("112233");
        return e;
    }

    private static Settings settings(String url) {
        return Settings.of(Map.of("url", Json.createValue(url)));
    }
}
