package com.rainforestqa.integrations.plugin.hipchat;

import static com.rainforestqa.integrations.plugin.hipchat.HipChatNotificationsTest.event;
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
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HipChatIntegrationTest {
    private static final String TOKEN = "s3cr3tR00mT0k3n";
    private static final Event INTEGRATION_TEST =
            new Event(Event.INTEGRATION_TEST, Optional.empty(), JsonObject.EMPTY_JSON_OBJECT);

    private final FakeTarget hipchat = FakeTarget.start();
    private final TestContext context = new TestContext(Map.of("api-url", hipchat.uri("/hipchat/").toString()),
            Clock.systemUTC());
    private final HipChatIntegration integration = new HipChatIntegration();

    @AfterEach
    void close() {
        context.close();
        hipchat.close();
    }

    @Test
    void notificationIsPostedToTheRoomWithTheTokenAsBearer() {
        hipchat.enqueue(Reply.status(204));
        Event event = event(Event.RUN_COMPLETION, "{\"run\": {\"id\": 3, \"result\": \"passed\"}}");

        Outcome outcome = integration.deliver(event, settings("1234", TOKEN), context);

        assertThat(outcome).isEqualTo(Outcome.delivered());
        RecordedRequest request = hipchat.onlyRequest();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/hipchat/v2/room/1234/notification");
        assertThat(request.query()).isEmpty();
        assertThat(request.header("authorization")).contains("Bearer " + TOKEN);
        assertThat(request.header("content-type")).contains("application/json");
        assertThat(request.json()).isEqualTo(HipChatNotifications.render(event));
        assertThat(request.json().getString("color")).isEqualTo("green");
    }

    @Test
    void twoHundredIsAlsoDelivered() {
        hipchat.enqueue(Reply.json(200, "{}"));

        assertThat(integration.deliver(INTEGRATION_TEST, settings("1234", TOKEN), context))
                .isEqualTo(Outcome.delivered());
        assertThat(hipchat.onlyRequest().json().getString("color")).isEqualTo("green");
    }

    @Test
    void roomNamesAreEncodedAsOnePathSegment() {
        hipchat.enqueue(Reply.status(204));

        integration.deliver(INTEGRATION_TEST, settings(" QA Team/ü?#1 ", TOKEN), context);

        assertThat(hipchat.onlyRequest().path()).isEqualTo("/hipchat/v2/room/QA%20Team%2F%C3%BC%3F%231/notification");
        assertThat(hipchat.onlyRequest().query()).isEmpty();
    }

    @Test
    void defaultApiUrlIsHipChatCloud() {
        assertThat(HipChatIntegration.DEFAULT_API_URL).isEqualTo("https://api.hipchat.com");
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(textBlock = """
            401, USER_CONFIGURATION_ERROR,  'HipChat answered 401: the room token is invalid or expired; check room_token'
            403, USER_CONFIGURATION_ERROR,  'HipChat answered 403: the token may not send notifications to this room; use the room''s notification token'
            404, USER_CONFIGURATION_ERROR,  'HipChat answered 404: the room does not exist; check room_id'
            400, MISCONFIGURED_INTEGRATION, 'HipChat answered 400: HipChat refused the notification'
            422, MISCONFIGURED_INTEGRATION, 'HipChat answered 422: HipChat refused the notification'
            302, MISCONFIGURED_INTEGRATION, 'HipChat answered 302: the answer did not come from a HipChat API; check plugins.hip_chat.api-url'
            429, TRANSIENT,                 'HipChat answered 429: HipChat is rate-limiting this room'
            500, TRANSIENT,                 'HipChat answered 500: HipChat failed on its side'
            503, TRANSIENT,                 'HipChat answered 503: HipChat failed on its side'
            """)
    void errorStatusesMapToErrorTypes(int status, ErrorType expected, String message) {
        String body = "{\"error\": {\"code\": " + status + ", \"message\": \"nope\", \"type\": \"X\"}}";
        hipchat.enqueue(Reply.json(status, body));

        IntegrationException e = failure(INTEGRATION_TEST, settings("1234", TOKEN));

        assertThat(e.type()).isEqualTo(expected);
        assertThat(e.getMessage()).isEqualTo(message);
        assertThat(e.status()).hasValue(status);
        assertThat(e.response().orElseThrow().body()).isEqualTo(body);
        assertThat(hipchat.requests()).hasSize(1);
    }

    @Test
    void unreachableServerIsTransient() {
        hipchat.close();

        IntegrationException e = failure(INTEGRATION_TEST, settings("1234", TOKEN));

        assertThat(e.type()).isEqualTo(ErrorType.TRANSIENT);
        assertThat(e.response()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"two words", "line\nbreak", "tab\there", "naïve"})
    void tokenThatCannotBeAHeaderIsAUserConfigurationErrorWithoutEchoingIt(String token) {
        IntegrationException e = failure(INTEGRATION_TEST, settings("1234", token));

        assertThat(e.type()).isEqualTo(ErrorType.USER_CONFIGURATION_ERROR);
        assertThat(e.getMessage())
                .isEqualTo("setting \"room_token\" is not a HipChat token: it holds spaces or unusual characters");
        assertThat(hipchat.requests()).isEmpty();
    }

    @Test
    void surroundingWhitespaceInTheTokenIsIgnored() {
        hipchat.enqueue(Reply.status(204));

        integration.deliver(INTEGRATION_TEST, settings("1234", "  " + TOKEN + "\n"), context);

        assertThat(hipchat.onlyRequest().header("authorization")).contains("Bearer " + TOKEN);
    }

    @ParameterizedTest
    @ValueSource(strings = {"api.hipchat.com", "ftp://api.hipchat.com", "http://", "not a url"})
    void badOperatorApiUrlIsMisconfigured(String apiUrl) {
        try (TestContext badContext = new TestContext(Map.of("api-url", apiUrl), Clock.systemUTC())) {
            IntegrationException e = catchThrowableOfType(IntegrationException.class,
                    () -> integration.deliver(INTEGRATION_TEST, settings("1234", TOKEN), badContext));

            assertThat(e.type()).isEqualTo(ErrorType.MISCONFIGURED_INTEGRATION);
            assertThat(e.getMessage()).isEqualTo("the operator's plugins.<key>.api-url is not an absolute http(s) URL");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"room_id", "room_token"})
    void missingRequiredSettingIsMisconfigured(String missing) {
        Settings settings = missing.equals("room_id")
                ? Settings.of(Map.of("room_token", Json.createValue(TOKEN)))
                : Settings.of(Map.of("room_id", Json.createValue("1234")));

        IntegrationException e = failure(INTEGRATION_TEST, settings);

        assertThat(e.type()).isEqualTo(ErrorType.MISCONFIGURED_INTEGRATION);
        assertThat(e.getMessage()).isEqualTo("required setting \"" + missing + "\" is missing");
        assertThat(hipchat.requests()).isEmpty();
    }

    @Test
    void unknownEventTypeIsSkippedWithoutSending() {
        assertThat(integration.deliver(event("run_started", "{}"), settings("1234", TOKEN), context))
                .isEqualTo(Outcome.skipped("HipChat has no notification for run_started"));
        assertThat(hipchat.requests()).isEmpty();
    }

    private IntegrationException failure(Event event, Settings settings) {
        IntegrationException e = catchThrowableOfType(IntegrationException.class,
                () -> integration.deliver(event, settings, context));
        assertThat(e).as("expected an IntegrationException").isNotNull();
        assertThat(e.getMessage()).doesNotContain(TOKEN);
        return e;
    }

    private static Settings settings(String roomId, String token) {
        return Settings.of(Map.of("room_id", Json.createValue(roomId), "room_token", Json.createValue(token)));
    }
}
