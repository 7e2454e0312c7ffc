package com.rainforestqa.integrations.plugin.pagerduty;

import static com.rainforestqa.integrations.plugin.pagerduty.PagerDutyEventsTest.KEY;
import static com.rainforestqa.integrations.plugin.pagerduty.PagerDutyEventsTest.NOW;
import static com.rainforestqa.integrations.plugin.pagerduty.PagerDutyEventsTest.event;
import static com.rainforestqa.integrations.plugin.pagerduty.PagerDutyEventsTest.json;
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

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PagerDutyIntegrationTest {
    private static final String ACCEPTED =
            "{\"status\":\"success\",\"message\":\"Event processed\",\"dedup_key\":\"rainforest-run-7\"}";
    private static final Event INTEGRATION_TEST =
            new Event(Event.INTEGRATION_TEST, Optional.of("evt-1"), JsonValue.EMPTY_JSON_OBJECT);
    private static final Event FAILED_RUN = event(Event.RUN_COMPLETION, """
            {"frontend_url": "https://app.rainforestqa.com/runs/7",
             "run": {"id": 7, "result": "failed", "total_tests": 2, "total_failed_tests": 2}}
            """);

    private final FakeTarget pagerduty = FakeTarget.start();
    private final TestContext context = new TestContext(Map.of("api-url", "http://127.0.0.1:" + pagerduty.port()),
            Clock.fixed(NOW, ZoneOffset.UTC));
    private final PagerDutyIntegration integration = new PagerDutyIntegration();

    @AfterEach
    void close() {
        context.close();
        pagerduty.close();
    }

    @Test
    void failedRunIsEnqueuedAsATrigger() {
        pagerduty.enqueue(Reply.json(202, ACCEPTED));

        Outcome outcome = integration.deliver(FAILED_RUN, settings(KEY, null), context);

        assertThat(outcome).isEqualTo(Outcome.delivered());
        RecordedRequest request = pagerduty.onlyRequest();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/v2/enqueue");
        assertThat(request.header("content-type")).contains("application/json");
        assertThat(request.header("authorization")).isEmpty();
        assertThat(request.json()).isEqualTo(PagerDutyEvents.trigger(FAILED_RUN, KEY, "error", NOW));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {Event.RUN_TEST_FAILURE, Event.RUN_ERROR, Event.WEBHOOK_TIMEOUT})
    void failureEventsTriggerAnAlert(String type) {
        Event event = event(type, """
                {"run": {"id": 7}, "failed_test": {"id": 12}}
                """);

        assertThat(integration.deliver(event, settings(KEY, null), context)).isEqualTo(Outcome.delivered());

        assertThat(pagerduty.onlyRequest().json()).isEqualTo(PagerDutyEvents.trigger(event, KEY, "error", NOW));
    }

    @Test
    void passedRunIsSkippedWithoutSending() {
        Event passed = event(Event.RUN_COMPLETION, "{\"run\": {\"id\": 7, \"result\": \"passed\"}}");

        assertThat(integration.deliver(passed, settings(KEY, null), context))
                .isEqualTo(Outcome.skipped("PagerDuty is alerted about failed runs only; this run did not fail"));
        assertThat(pagerduty.requests()).isEmpty();
    }

    @Test
    void integrationTestTriggersThenResolvesTheSameAlert() {
        pagerduty.enqueue(Reply.json(202, ACCEPTED), Reply.json(202, ACCEPTED));

        assertThat(integration.deliver(INTEGRATION_TEST, settings(" " + KEY + " ", "critical"), context))
                .isEqualTo(Outcome.delivered());

        List<RecordedRequest> requests = pagerduty.requests();
        assertThat(requests).hasSize(2);
        assertThat(requests.get(0).path()).isEqualTo("/v2/enqueue");
        assertThat(requests.get(0).json()).isEqualTo(PagerDutyEvents.integrationTest(INTEGRATION_TEST, KEY, NOW));
        assertThat(requests.get(1).path()).isEqualTo("/v2/enqueue");
        assertThat(requests.get(1).json()).isEqualTo(json("""
                {"routing_key": "R0UT1NGK3YR0UT1NGK3YR0UT1NGK3Y00", "event_action": "resolve",
                 "dedup_key": "rainforest-integration-test-evt-1"}
                """));
    }

    @Test
    void integrationTestWhoseTriggerFailsDoesNotResolve() {
        pagerduty.enqueue(Reply.json(400, "{\"status\":\"invalid event\",\"message\":\"Event object is invalid\","
                + "\"errors\":[\"'routing_key' is invalid\"]}"));

        IntegrationException e = failure(INTEGRATION_TEST, settings(KEY, null));

        assertThat(e.type()).isEqualTo(ErrorType.USER_CONFIGURATION_ERROR);
        assertThat(pagerduty.requests()).hasSize(1);
    }

    @Test
    void integrationTestWhoseResolveFailsIsReported() {
        pagerduty.enqueue(Reply.json(202, ACCEPTED), Reply.status(503));

        IntegrationException e = failure(INTEGRATION_TEST, settings(KEY, null));

        assertThat(e.type()).isEqualTo(ErrorType.TRANSIENT);
        assertThat(e.getMessage()).isEqualTo("PagerDuty answered 503: PagerDuty failed on its side");
        assertThat(pagerduty.requests()).hasSize(2);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(textBlock = """
            critical, critical
            error,    error
            warning,  warning
            info,     info
            ' Info ', info
            WARNING,  warning
            """)
    void severityComesFromTheSettings(String setting, String sent) {
        integration.deliver(FAILED_RUN, settings(KEY, setting), context);

        assertThat(pagerduty.onlyRequest().json().getJsonObject("payload").getString("severity")).isEqualTo(sent);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"high", "P1", "errors", "fatal"})
    void unknownSeverityIsAUserErrorBeforeSending(String severity) {
        IntegrationException e = failure(FAILED_RUN, settings(KEY, severity));

        assertThat(e.type()).isEqualTo(ErrorType.USER_CONFIGURATION_ERROR);
        assertThat(e.getMessage()).isEqualTo("setting \"severity\" must be one of critical, error, warning or info");
        assertThat(pagerduty.requests()).isEmpty();
    }

    @ParameterizedTest(name = "{0} {1} is {2}")
    @CsvSource(delimiter = '|', textBlock = """
            400 | {"status":"invalid event","message":"Event object is invalid","errors":["'routing_key' is invalid"]} | USER_CONFIGURATION_ERROR  | PagerDuty answered 400: the routing key is not valid; use the integration key of an Events API v2 integration on your PagerDuty service
            400 | {"status":"invalid event","message":"Event object is invalid","errors":["Invalid routing key"]}       | USER_CONFIGURATION_ERROR  | PagerDuty answered 400: the routing key is not valid; use the integration key of an Events API v2 integration on your PagerDuty service
            400 | {"status":"invalid event","message":"Event object is invalid","errors":["Integration key not found"]} | USER_CONFIGURATION_ERROR  | PagerDuty answered 400: the routing key is not valid; use the integration key of an Events API v2 integration on your PagerDuty service
            400 | {"status":"invalid event","message":"Event object is invalid","errors":["'payload.summary' is missing or blank"]} | MISCONFIGURED_INTEGRATION | PagerDuty answered 400: PagerDuty refused the event as invalid
            400 | ''                                                                                                     | MISCONFIGURED_INTEGRATION | PagerDuty answered 400: PagerDuty refused the event as invalid
            404 | Not Found                                                                                              | MISCONFIGURED_INTEGRATION | PagerDuty answered 404: PagerDuty refused the event
            413 | ''                                                                                                     | MISCONFIGURED_INTEGRATION | PagerDuty answered 413: PagerDuty refused the event
            429 | {"status":"throttle event","message":"Requests for this service are arriving too quickly. Please retry later."} | TRANSIENT | PagerDuty answered 429: PagerDuty is rate-limiting this routing key
            500 | ''                                                                                                     | TRANSIENT                 | PagerDuty answered 500: PagerDuty failed on its side
            502 | <html>Bad Gateway</html>                                                                               | TRANSIENT                 | PagerDuty answered 502: PagerDuty failed on its side
            503 | ''                                                                                                     | TRANSIENT                 | PagerDuty answered 503: PagerDuty failed on its side
            301 | ''                                                                                                     | MISCONFIGURED_INTEGRATION | PagerDuty answered 301: the answer did not come from the PagerDuty Events API; check plugins.pagerduty.api-url
            """)
    void answersMapToErrorTypesWithoutEchoingTheBody(int status, String body, ErrorType expected, String message) {
        pagerduty.enqueue(Reply.json(status, body));

        IntegrationException e = failure(FAILED_RUN, settings(KEY, null));

        assertThat(e.type()).isEqualTo(expected);
        assertThat(e.getMessage()).isEqualTo(message);
        assertThat(e.status()).hasValue(status);
        assertThat(e.response().orElseThrow().body()).isEqualTo(body);
        assertThat(pagerduty.requests()).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(ints = {200, 201, 202, 204})
    void anySuccessStatusIsDelivered(int status) {
        pagerduty.enqueue(Reply.status(status));

        assertThat(integration.deliver(FAILED_RUN, settings(KEY, null), context)).isEqualTo(Outcome.delivered());
    }

    @Test
    void defaultApiIsPagerDutysPublicOne() {
        try (TestContext unconfigured = new TestContext()) {
            assertThat(unconfigured.apiUrl(PagerDutyIntegration.DEFAULT_API_URL))
                    .isEqualTo("https://events.pagerduty.com");
        }
    }

    @Test
    void apiUrlWithAPathIsKept() {
        try (TestContext proxied = new TestContext(
                Map.of("api-url", "http://127.0.0.1:" + pagerduty.port() + "/pagerduty/"), Clock.fixed(NOW,
                ZoneOffset.UTC))) {
            integration.deliver(FAILED_RUN, settings(KEY, null), proxied);
        }

        assertThat(pagerduty.onlyRequest().path()).isEqualTo("/pagerduty/v2/enqueue");
    }

    @Test
    void unreachableApiIsTransient() {
        pagerduty.close();

        IntegrationException e = failure(FAILED_RUN, settings(KEY, null));

        assertThat(e.type()).isEqualTo(ErrorType.TRANSIENT);
        assertThat(e.response()).isEmpty();
    }

    @Test
    void missingRoutingKeyIsMisconfigured() {
        IntegrationException e = catchThrowableOfType(IntegrationException.class,
                () -> integration.deliver(FAILED_RUN, Settings.of(Map.of()), context));

        assertThat(e.type()).isEqualTo(ErrorType.MISCONFIGURED_INTEGRATION);
        assertThat(e.getMessage()).isEqualTo("required setting \"routing_key\" is missing");
        assertThat(pagerduty.requests()).isEmpty();
    }

    @Test
    void unknownEventTypeIsSkippedWithoutSending() {
        Event event = event("run_started", "{\"run\": {\"id\": 1}}");

        assertThat(integration.deliver(event, settings(KEY, null), context))
                .isEqualTo(Outcome.skipped("PagerDuty has no alert for run_started"));
        assertThat(pagerduty.requests()).isEmpty();
    }

    private IntegrationException failure(Event event, Settings settings) {
        IntegrationException e = catchThrowableOfType(IntegrationException.class,
                () -> integration.deliver(event, settings, context));
        assertThat(e).as("expected an IntegrationException").isNotNull();
        assertThat(e.getMessage()).doesNotContain(KEY);
        return e;
    }

    private static Settings settings(String routingKey, String severity) {
        Map<String, JsonValue> values = new LinkedHashMap<>();
        values.put("routing_key", Json.createValue(routingKey));
        if (severity != null) {
            values.put("severity", Json.createValue(severity));
        }
        return Settings.of(values);
    }
}
