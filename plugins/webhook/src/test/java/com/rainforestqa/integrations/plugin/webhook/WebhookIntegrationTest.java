package com.rainforestqa.integrations.plugin.webhook;

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
import jakarta.json.JsonValue;

import java.io.StringReader;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookIntegrationTest {
    private static final String PATH = "/hooks/rainforest?token=s3cr3tT0k3n";
    private static final String SECRET = SigningSecretTest.SECRET;
    /** 2026-01-01T00:00:00Z. */
    private static final Instant NOW = Instant.ofEpochSecond(1767225600);
    private static final String PAYLOAD = """
            {"frontend_url":"https://app.rainforestqa.com/runs/7","run":{"id":7,"description":"Nächtlich ✓","result":"failed"}}""";

    private final FakeTarget receiver = FakeTarget.start();
    // Half a second past NOW: the timestamp is whole seconds.
    private final TestContext context =
            new TestContext(Map.of(), Clock.fixed(NOW.plusMillis(500), ZoneOffset.UTC));
    private final WebhookIntegration integration = new WebhookIntegration();
    private final String url = receiver.uri(PATH).toString();

    @AfterEach
    void close() {
        context.close();
        receiver.close();
    }

    @Test
    void signedEnvelopeMatchesTheKnownAnswer() {
        // Expected signature computed outside Java:
        // printf '%s' "rf-1234.1767225600.$body" | openssl dgst -sha256 -mac HMAC \
        //     -macopt hexkey:31f290f6bf06298aab4f08d43c3f082cf648a362da2da4b0 -binary | base64
        Outcome outcome = integration.deliver(event(Event.RUN_COMPLETION, "rf-1234", PAYLOAD), settings(url, SECRET),
                context);

        assertThat(outcome).isEqualTo(Outcome.delivered());
        RecordedRequest request = receiver.onlyRequest();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path() + "?" + request.query()).isEqualTo(PATH);
        assertThat(request.body()).isEqualTo("{\"type\":\"run_completion\",\"id\":\"rf-1234\","
                + "\"timestamp\":\"2026-01-01T00:00:00Z\",\"data\":" + PAYLOAD + "}");
        assertThat(request.header("content-type")).contains("application/json");
        assertThat(request.header("webhook-id")).contains("rf-1234");
        assertThat(request.header("webhook-timestamp")).contains("1767225600");
        assertThat(request.header("webhook-signature")).contains("v1,smeVaS1NMmXe6KVNMTz+y4JBrlE7wCc6qCS7ktxTtls=");
    }

    @Test
    void anIndependentReceiverVerifiesTheSignature() throws GeneralSecurityException {
        integration.deliver(event(Event.RUN_ERROR, "rf-9", "{\"run\":{\"id\":9,\"error_reason\":\"boom\"}}"),
                settings(url, SECRET), context);

        assertThat(ReceiverVerifier.verifies(SECRET, receiver.onlyRequest())).isTrue();
        assertThat(ReceiverVerifier.verifies("whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", receiver.onlyRequest()))
                .isFalse();
    }

    @Test
    void integrationTestArrivesWithAnEmptyData() throws GeneralSecurityException {
        Event test = new Event(Event.INTEGRATION_TEST, Optional.of("rf-check"), JsonValue.EMPTY_JSON_OBJECT);

        assertThat(integration.deliver(test, settings(url, SECRET), context)).isEqualTo(Outcome.delivered());

        assertThat(receiver.onlyRequest().body()).isEqualTo("{\"type\":\"integration_test\",\"id\":\"rf-check\","
                + "\"timestamp\":\"2026-01-01T00:00:00Z\",\"data\":{}}");
        assertThat(ReceiverVerifier.verifies(SECRET, receiver.onlyRequest())).isTrue();
    }

    @Test
    void eventTypesOutsideTheSchemaAreForwardedToo() {
        integration.deliver(event("run_started", "rf-5", "{\"run\":{\"id\":5}}"), settings(url, null), context);

        assertThat(receiver.onlyRequest().json().getString("type")).isEqualTo("run_started");
    }

    @Test
    void withoutASecretTheEnvelopeIsSentUnsignedWithIdAndTimestamp() {
        integration.deliver(event(Event.RUN_COMPLETION, "rf-1234", PAYLOAD), settings(url, null), context);

        RecordedRequest request = receiver.onlyRequest();
        assertThat(request.headers()).doesNotContainKey("webhook-signature");
        assertThat(request.header("webhook-id")).contains("rf-1234");
        assertThat(request.header("webhook-timestamp")).contains("1767225600");
        assertThat(request.body()).isEqualTo("{\"type\":\"run_completion\",\"id\":\"rf-1234\","
                + "\"timestamp\":\"2026-01-01T00:00:00Z\",\"data\":" + PAYLOAD + "}");
    }

    @Test
    void withoutAnEventIdTheIdIsDerivedFromTheEventAndStaysTheSameOnRetries() {
        // printf '%s' $'run_error\n{"run":{"id":7}}' | sha256sum
        String expected = "evt_ec6cad3be88dee4fc5b1545aa88590344fda8a11df249898e405bdc578495f17";
        Event event = event(Event.RUN_ERROR, null, "{\"run\":{\"id\":7}}");
        TestContext later = new TestContext(Map.of(), Clock.fixed(NOW.plusSeconds(30), ZoneOffset.UTC));

        integration.deliver(event, settings(url, SECRET), context);
        try (later) {
            integration.deliver(event, settings(url, SECRET), later);
        }

        assertThat(receiver.requests()).extracting(request -> request.header("webhook-id").orElseThrow())
                .containsExactly(expected, expected);
        assertThat(receiver.requests()).extracting(request -> request.header("webhook-timestamp").orElseThrow())
                .containsExactly("1767225600", "1767225630");
        assertThat(receiver.requests()).extracting(request -> request.json().getString("id"))
                .containsExactly(expected, expected);
    }

    @Test
    void differentEventsWithoutIdsGetDifferentIds() {
        integration.deliver(event(Event.RUN_ERROR, null, "{\"run\":{\"id\":7}}"), settings(url, null), context);
        integration.deliver(event(Event.RUN_ERROR, null, "{\"run\":{\"id\":8}}"), settings(url, null), context);
        integration.deliver(event(Event.WEBHOOK_TIMEOUT, null, "{\"run\":{\"id\":7}}"), settings(url, null), context);

        assertThat(receiver.requests()).extracting(request -> request.header("webhook-id").orElseThrow())
                .doesNotHaveDuplicates()
                .allSatisfy(id -> assertThat(id).matches("evt_[0-9a-f]{64}"));
    }

    @Test
    void eventIdThatIsNotAPlainTokenIsReplacedByItsHash() throws GeneralSecurityException {
        // printf '%s' $'event_id\nrf.1' | sha256sum
        integration.deliver(event(Event.RUN_ERROR, "rf.1", "{\"run\":{\"id\":7}}"), settings(url, SECRET), context);

        assertThat(receiver.onlyRequest().header("webhook-id"))
                .contains("evt_dc0cfda45c887a4b29cd566d943bedb767a450b4ce09d94955889ae35dfb33da");
        assertThat(ReceiverVerifier.verifies(SECRET, receiver.onlyRequest())).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {200, 201, 202, 204})
    void anySuccessStatusIsDelivered(int status) {
        receiver.enqueue(Reply.status(status));

        assertThat(integration.deliver(event(Event.RUN_ERROR, "rf-1", "{}"), settings(url, SECRET), context))
                .isEqualTo(Outcome.delivered());
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(textBlock = """
            301, USER_CONFIGURATION_ERROR,  'The webhook endpoint answered 301: it redirects elsewhere, and redirects are not followed; set the URL to the final address'
            302, USER_CONFIGURATION_ERROR,  'The webhook endpoint answered 302: it redirects elsewhere, and redirects are not followed; set the URL to the final address'
            307, USER_CONFIGURATION_ERROR,  'The webhook endpoint answered 307: it redirects elsewhere, and redirects are not followed; set the URL to the final address'
            308, USER_CONFIGURATION_ERROR,  'The webhook endpoint answered 308: it redirects elsewhere, and redirects are not followed; set the URL to the final address'
            410, USER_CONFIGURATION_ERROR,  'The webhook endpoint answered 410: the endpoint is gone and asks not to be called again; update or remove the webhook'
            401, USER_CONFIGURATION_ERROR,  'The webhook endpoint answered 401: it refused the request; check the URL and the signing secret'
            403, USER_CONFIGURATION_ERROR,  'The webhook endpoint answered 403: it refused the request; check the URL and the signing secret'
            404, USER_CONFIGURATION_ERROR,  'The webhook endpoint answered 404: nothing is there; check the URL'
            405, USER_CONFIGURATION_ERROR,  'The webhook endpoint answered 405: it does not accept POST requests; check the URL'
            400, MISCONFIGURED_INTEGRATION, 'The webhook endpoint answered 400: it refused the event'
            413, MISCONFIGURED_INTEGRATION, 'The webhook endpoint answered 413: it refused the event'
            422, MISCONFIGURED_INTEGRATION, 'The webhook endpoint answered 422: it refused the event'
            408, TRANSIENT,                 'The webhook endpoint answered 408: it timed out reading the request'
            429, TRANSIENT,                 'The webhook endpoint answered 429: it is rate-limiting deliveries'
            500, TRANSIENT,                 'The webhook endpoint answered 500: it failed on its side'
            502, TRANSIENT,                 'The webhook endpoint answered 502: it failed on its side'
            503, TRANSIENT,                 'The webhook endpoint answered 503: it failed on its side'
            504, TRANSIENT,                 'The webhook endpoint answered 504: it failed on its side'
            """)
    void failureStatusesMapToErrorTypesWithTheAnswerCarried(int status, ErrorType expected, String message) {
        receiver.enqueue(Reply.status(status, "receiver says no").withHeader("Location", "https://elsewhere.test/x"));

        IntegrationException e = failure(settings(url, SECRET));

        assertThat(e.type()).isEqualTo(expected);
        assertThat(e.getMessage()).isEqualTo(message);
        assertThat(e.status()).hasValue(status);
        assertThat(e.response().orElseThrow().body()).isEqualTo("receiver says no");
        assertThat(e.retryAfter()).isEmpty();
        // Not followed: the receiver is asked once, and elsewhere.test never.
        assertThat(receiver.requests()).hasSize(1);
    }

    @Test
    void unreachableEndpointIsTransient() {
        receiver.close();

        IntegrationException e = failure(settings(url, SECRET));

        assertThat(e.type()).isEqualTo(ErrorType.TRANSIENT);
        assertThat(e.response()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com/hooks?token=s3cr3tT0k3n", "ftp://example.com/hooks?token=s3cr3tT0k3n",
            "https:///hooks?token=s3cr3tT0k3n", "https://example.com/hooks?token=s3cr3tT0k3n with spaces"})
    void urlThatIsNotAnAbsoluteHttpUrlIsAUserConfigurationErrorWithoutEchoingIt(String badUrl) {
        IntegrationException e = failure(settings(badUrl, SECRET));

        assertThat(e.type()).isEqualTo(ErrorType.USER_CONFIGURATION_ERROR);
        assertThat(e.getMessage())
                .isEqualTo("setting \"url\" is not an absolute http(s) URL; expected a URL such as "
                        + "https://example.com/rainforest-events");
        assertThat(e.getCause()).isNull();
        assertThat(receiver.requests()).isEmpty();
    }

    @Test
    void malformedSecretStopsTheDeliveryBeforeAnythingIsSent() {
        IntegrationException e = failure(settings(url, "hunter2-s3cr3tT0k3n"));

        assertThat(e.type()).isEqualTo(ErrorType.USER_CONFIGURATION_ERROR);
        assertThat(e.getMessage()).doesNotContain("hunter2");
        assertThat(receiver.requests()).isEmpty();
    }

    @Test
    void missingUrlIsMisconfigured() {
        IntegrationException e = failure(Settings.of(Map.of("secret", Json.createValue(SECRET))));

        assertThat(e.type()).isEqualTo(ErrorType.MISCONFIGURED_INTEGRATION);
        assertThat(e.getMessage()).isEqualTo("required setting \"url\" is missing");
    }

    @ParameterizedTest
    @ValueSource(ints = {302, 400, 401, 404, 410, 429, 500})
    void neitherUrlNorSecretAppearsInFailureMessages(int status) {
        receiver.enqueue(Reply.status(status, "no"));

        IntegrationException e = failure(settings(url, SECRET));

        assertThat(e.getMessage()).doesNotContain("/hooks").doesNotContain("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    }

    private IntegrationException failure(Settings settings) {
        IntegrationException e = catchThrowableOfType(IntegrationException.class,
                () -> integration.deliver(event(Event.RUN_ERROR, "rf-1", "{}"), settings, context));
        assertThat(e).as("expected an IntegrationException").isNotNull();
        assertThat(e.getMessage()).doesNotContain("s3cr3tT0k3n");
        return e;
    }

    private static Event event(String type, String eventId, String payload) {
        return new Event(type, Optional.ofNullable(eventId),
                Json.createReader(new StringReader(payload)).readObject());
    }

    private static Settings settings(String url, String secret) {
        Map<String, JsonValue> values = new HashMap<>();
        values.put("url", Json.createValue(url));
        if (secret != null) {
            values.put("secret", Json.createValue(secret));
        }
        return Settings.of(values);
    }
}
