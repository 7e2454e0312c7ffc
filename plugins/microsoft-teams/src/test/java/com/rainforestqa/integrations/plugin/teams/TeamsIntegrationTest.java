package com.rainforestqa.integrations.plugin.teams;

import static com.rainforestqa.integrations.plugin.teams.TeamsCardsTest.event;
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

class TeamsIntegrationTest {
    private static final String WEBHOOK_PATH =
            "/workflows/0a1b2c/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun"
                    + "&sv=1.0&sig=s3cr3tS1g";
    private static final Event INTEGRATION_TEST =
            new Event(Event.INTEGRATION_TEST, Optional.empty(), JsonObject.EMPTY_JSON_OBJECT);
    private static final String LEGACY_MESSAGE = "setting \"url\" is an Office 365 connector webhook, which Microsoft "
            + "has retired; in Teams, create a webhook with the Workflows app (template \"Post to a channel when a "
            + "webhook request is received\") and use its URL instead";

    private final FakeTarget teams = FakeTarget.start();
    private final TestContext context = new TestContext();
    private final TeamsIntegration integration = new TeamsIntegration();
    private final URI webhook = teams.uri(WEBHOOK_PATH);

    @AfterEach
    void close() {
        context.close();
        teams.close();
    }

    @Test
    void acceptedCardIsDeliveredAsJsonToTheWebhook() {
        teams.enqueue(Reply.status(202));
        Event event = event(Event.RUN_COMPLETION, """
                {"frontend_url": "https://app.rainforestqa.com/runs/3",
                 "run": {"id": 3, "result": "passed", "total_tests": 1, "total_passed_tests": 1}}
                """);

        Outcome outcome = integration.deliver(event, settings(webhook.toString()), context);

        assertThat(outcome).isEqualTo(Outcome.delivered());
        RecordedRequest request = teams.onlyRequest();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/workflows/0a1b2c/triggers/manual/paths/invoke");
        assertThat(request.query()).isEqualTo("api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0"
                + "&sig=s3cr3tS1g");
        assertThat(request.header("content-type")).contains("application/json");
        assertThat(request.json()).isEqualTo(TeamsCards.render(event));
    }

    @ParameterizedTest
    @ValueSource(ints = {200, 201, 202, 204})
    void anySuccessStatusIsDelivered(int status) {
        teams.enqueue(Reply.status(status));

        assertThat(integration.deliver(INTEGRATION_TEST, settings(webhook.toString()), context))
                .isEqualTo(Outcome.delivered());
    }

    @Test
    void surroundingWhitespaceInTheUrlIsIgnored() {
        assertThat(integration.deliver(INTEGRATION_TEST, settings("  " + webhook + "\n"), context))
                .isEqualTo(Outcome.delivered());
        assertThat(teams.onlyRequest().query()).endsWith("sig=s3cr3tS1g");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "https://contoso.webhook.office.com/webhookb2/0a1b@2c3d/IncomingWebhook/s3cr3tS1g/4e5f",
            "https://CONTOSO.Webhook.Office.com/webhookb2/0a1b@2c3d/IncomingWebhook/s3cr3tS1g/4e5f",
            "https://webhook.office.com/webhookb2/s3cr3tS1g",
            "https://outlook.office.com/webhook/0a1b@2c3d/IncomingWebhook/s3cr3tS1g/4e5f",
            "https://outlook.office365.com/webhook/0a1b@2c3d/IncomingWebhook/s3cr3tS1g/4e5f",
            "https://outlook.office.com/webhookb2/s3cr3tS1g"})
    void office365ConnectorUrlIsRefusedBeforeSendingWithAdviceToUseWorkflows(String url) {
        IntegrationException e = failure(INTEGRATION_TEST, url);

        assertThat(e.type()).isEqualTo(ErrorType.USER_CONFIGURATION_ERROR);
        assertThat(e.getMessage()).isEqualTo(LEGACY_MESSAGE);
        assertThat(e.response()).isEmpty();
        assertThat(teams.requests()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "https://prod-12.westus.logic.azure.com:443/workflows/0a1b/triggers/manual/paths/invoke?sig=x",
            "https://default0a1b.2c.environment.api.powerplatform.com:443/powerautomate/automations/direct/x",
            "https://outlook.office.com/mail/inbox",
            "https://notwebhook.office.com.example.com/webhookb2/x"})
    void otherUrlsAreNotMistakenForConnectors(String url) {
        assertThat(TeamsIntegration.isOffice365Connector(URI.create(url))).isFalse();
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(textBlock = """
            400, MISCONFIGURED_INTEGRATION, 'Microsoft Teams answered 400: the Workflows webhook refused the card'
            401, USER_CONFIGURATION_ERROR,  'Microsoft Teams answered 401: the Workflows webhook refused the request: its URL has expired or the flow is turned off; check the flow in Power Automate or create a new Workflows webhook'
            403, USER_CONFIGURATION_ERROR,  'Microsoft Teams answered 403: the Workflows webhook refused the request: its URL has expired or the flow is turned off; check the flow in Power Automate or create a new Workflows webhook'
            404, USER_CONFIGURATION_ERROR,  'Microsoft Teams answered 404: the Workflows webhook does not exist: the flow was deleted or the URL is mistyped; create a new Workflows webhook'
            410, USER_CONFIGURATION_ERROR,  'Microsoft Teams answered 410: the Workflows webhook does not exist: the flow was deleted or the URL is mistyped; create a new Workflows webhook'
            413, MISCONFIGURED_INTEGRATION, 'Microsoft Teams answered 413: Microsoft Teams refused the card'
            422, MISCONFIGURED_INTEGRATION, 'Microsoft Teams answered 422: Microsoft Teams refused the card'
            429, TRANSIENT,                 'Microsoft Teams answered 429: Microsoft Teams is rate-limiting this webhook'
            500, TRANSIENT,                 'Microsoft Teams answered 500: Microsoft Teams failed on its side'
            502, TRANSIENT,                 'Microsoft Teams answered 502: Microsoft Teams failed on its side'
            503, TRANSIENT,                 'Microsoft Teams answered 503: Microsoft Teams failed on its side'
            302, USER_CONFIGURATION_ERROR,  'Microsoft Teams answered 302: the URL does not lead to a Teams Workflows webhook; check the webhook URL'
            """)
    void statusesMapToErrorTypesWithoutEchoingTheBody(int status, ErrorType expected, String message) {
        String body = "{\"error\":{\"code\":\"Failed\",\"message\":\"sig=s3cr3tS1g something\"}}";
        teams.enqueue(Reply.json(status, body).withHeader("Retry-After", "1"));

        IntegrationException e = failure(INTEGRATION_TEST, webhook.toString());

        assertThat(e.type()).isEqualTo(expected);
        assertThat(e.getMessage()).isEqualTo(message);
        assertThat(e.status()).hasValue(status);
        assertThat(e.response().orElseThrow().body()).isEqualTo(body);
        assertThat(e.retryAfter()).isEmpty();
        assertThat(teams.requests()).hasSize(1);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(ints = {200, 400, 500})
    void throttlingReportedInTheBodyIsTransientWhateverTheStatus(int status) {
        String body = "Webhook message delivery failed with error: Microsoft Teams endpoint returned HTTP error 429 "
                + "with ContextId tcid=0,server=msgapi-production-eus-azsc2-4-170,cv=deadbeef";
        teams.enqueue(Reply.status(status, body));

        IntegrationException e = failure(INTEGRATION_TEST, webhook.toString());

        assertThat(e.type()).isEqualTo(ErrorType.TRANSIENT);
        assertThat(e.getMessage())
                .isEqualTo("Microsoft Teams answered " + status + ": Microsoft Teams is rate-limiting this webhook");
        assertThat(e.response().orElseThrow().body()).isEqualTo(body);
    }

    @Test
    void unreachableWebhookIsTransient() {
        teams.close();

        IntegrationException e = failure(INTEGRATION_TEST, webhook.toString());

        assertThat(e.type()).isEqualTo(ErrorType.TRANSIENT);
        assertThat(e.response()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"prod-12.westus.logic.azure.com/workflows/s3cr3tS1g",
            "ftp://prod-12.westus.logic.azure.com/workflows/s3cr3tS1g",
            "https:///workflows/s3cr3tS1g",
            "https://prod-12.westus.logic.azure.com/workflows/s3cr3tS1g with spaces"})
    void urlThatIsNotAnAbsoluteHttpUrlIsAUserErrorWithoutEchoingIt(String url) {
        IntegrationException e = failure(INTEGRATION_TEST, url);

        assertThat(e.type()).isEqualTo(ErrorType.USER_CONFIGURATION_ERROR);
        assertThat(e.getMessage()).isEqualTo("setting \"url\" is not an absolute http(s) URL; expected the URL of a "
                + "Teams Workflows webhook (on logic.azure.com or environment.api.powerplatform.com)");
        assertThat(e.getCause()).isNull();
        assertThat(teams.requests()).isEmpty();
    }

    @Test
    void missingUrlIsMisconfigured() {
        IntegrationException e = catchThrowableOfType(IntegrationException.class,
                () -> integration.deliver(INTEGRATION_TEST, Settings.of(Map.of()), context));

        assertThat(e.type()).isEqualTo(ErrorType.MISCONFIGURED_INTEGRATION);
        assertThat(e.getMessage()).isEqualTo("required setting \"url\" is missing");
        assertThat(teams.requests()).isEmpty();
    }

    @Test
    void unknownEventTypeIsSkippedWithoutSending() {
        Event event = event("run_started", "{\"run\": {\"id\": 1}}");

        assertThat(integration.deliver(event, settings(webhook.toString()), context))
                .isEqualTo(Outcome.skipped("Microsoft Teams has no card for run_started"));
        assertThat(teams.requests()).isEmpty();
    }

    private IntegrationException failure(Event event, String url) {
        IntegrationException e = catchThrowableOfType(IntegrationException.class,
                () -> integration.deliver(event, settings(url), context));
        assertThat(e).as("expected an IntegrationException").isNotNull();
        assertThat(e.getMessage()).doesNotContain("s3cr3tS1g").doesNotContain("/workflows/")
                .doesNotContain("webhookb2");
        return e;
    }

    private static Settings settings(String url) {
        return Settings.of(Map.of("url", Json.createValue(url)));
    }
}
