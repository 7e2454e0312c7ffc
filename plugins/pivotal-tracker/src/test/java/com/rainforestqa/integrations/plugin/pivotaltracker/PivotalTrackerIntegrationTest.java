package com.rainforestqa.integrations.plugin.pivotaltracker;

import static com.rainforestqa.integrations.plugin.pivotaltracker.FailureStoryTest.event;
import static com.rainforestqa.integrations.plugin.pivotaltracker.FailureStoryTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

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

import java.time.Clock;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PivotalTrackerIntegrationTest {
    private static final String TOKEN = "0123456789abcdef0123456789abcdef";
    private static final String PROJECT = "/tracker/projects/99";
    private static final Event TEST_FAILURE = event(Event.RUN_TEST_FAILURE, """
            {"frontend_url": "https://app.rainforestqa.com/runs/7",
             "run": {"id": 7, "description": "Nightly", "environment": {"name": "QA"}},
             "failed_test": {"id": 12, "title": "Login", "frontend_url": "https://app.rainforestqa.com/tests/12"},
             "browser": {"description": "Chrome"}}""");

    private final FakeTarget tracker = FakeTarget.start();
    private final TestContext context = new TestContext(Map.of("api-url", tracker.uri("/tracker/").toString()),
            Clock.systemUTC());
    private final PivotalTrackerIntegration integration = new PivotalTrackerIntegration();

    @AfterEach
    void close() {
        context.close();
        tracker.close();
    }

    @Test
    void newFailureIsFiledAsABugStoryWithTheEnvironmentAsComment() {
        tracker.enqueue(search(), Reply.json(200, "{\"kind\": \"story\", \"id\": 555, \"name\": \"x\"}"),
                Reply.json(200, "{\"kind\": \"comment\", \"id\": 1}"));

        assertThat(integration.deliver(TEST_FAILURE, settings("99", TOKEN), context)).isEqualTo(Outcome.delivered());

        List<RecordedRequest> requests = tracker.requests();
        assertThat(requests).extracting(RecordedRequest::method, RecordedRequest::path).containsExactly(
                tuple("GET", PROJECT + "/search"),
                tuple("POST", PROJECT + "/stories"),
                tuple("POST", PROJECT + "/stories/555/comments"));
        assertThat(requests).allSatisfy(request -> assertThat(request.header("x-trackertoken")).contains(TOKEN));
        assertThat(requests.get(0).query()).isEqualTo("query=label%3A%22RfTest12%22");
        assertThat(requests.get(1).header("content-type")).contains("application/json");
        assertThat(requests.get(1).json()).isEqualTo(json("""
                {"name": "Rainforest test failed: Login", "story_type": "bug",
                 "description": "The Rainforest test \\"Login\\" failed in run #7 (Nightly).\\n\\nTest: https://app.rainforestqa.com/tests/12\\nRun: https://app.rainforestqa.com/runs/7\\nBrowser: Chrome",
                 "labels": [{"name": "RfTest12"}]}"""));
        assertThat(requests.get(2).json()).isEqualTo(json("{\"text\": \"Environment: QA\"}"));
    }

    @Test
    void openStoryForTheSameFailureKeepsItsLabelsAndGainsRepeatedFailures() {
        tracker.enqueue(search("""
                {"id": 501, "current_state": "accepted", "labels": [{"id": 1, "name": "rftest12"}]},
                {"id": 502, "current_state": "started", "labels": [{"id": 2, "name": "RfTest123"}]},
                {"id": 503, "current_state": "delivered", "labels": [{"id": 1, "name": "rftest12"}]},
                {"id": 504, "current_state": "unstarted",
                 "labels": [{"id": 1, "name": "rftest12"}, {"id": 3, "name": "checkout"}]}"""),
                Reply.json(200, "{\"kind\": \"story\", \"id\": 504}"));

        assertThat(integration.deliver(TEST_FAILURE, settings("99", TOKEN), context)).isEqualTo(Outcome.delivered());

        List<RecordedRequest> requests = tracker.requests();
        assertThat(requests).hasSize(2);
        assertThat(requests.get(1).method()).isEqualTo("PUT");
        assertThat(requests.get(1).path()).isEqualTo(PROJECT + "/stories/504");
        assertThat(requests.get(1).header("x-trackertoken")).contains(TOKEN);
        assertThat(requests.get(1).json()).isEqualTo(json("""
                {"labels": [{"name": "rftest12"}, {"name": "checkout"}, {"name": "RepeatedFailures"}]}"""));
    }

    @Test
    void storyAlreadyMarkedRepeatedKeepsOneRepeatedFailuresLabel() {
        tracker.enqueue(search("""
                {"id": 504, "current_state": "started",
                 "labels": [{"name": "RfTest12"}, {"name": "RepeatedFailures"}]}"""), Reply.json(200, "{}"));

        integration.deliver(TEST_FAILURE, settings("99", TOKEN), context);

        assertThat(tracker.requests().get(1).json()).isEqualTo(json("""
                {"labels": [{"name": "RfTest12"}, {"name": "RepeatedFailures"}]}"""));
    }

    @Test
    void webhookTimeoutSearchesByRunLabel() {
        tracker.enqueue(search(), Reply.json(200, "{\"id\": 600}"), Reply.json(200, "{}"));

        integration.deliver(event(Event.WEBHOOK_TIMEOUT, "{\"run\": {\"id\": 9, \"environment\": \"QA\"}}"),
                settings("99", TOKEN), context);

        assertThat(tracker.requests().get(0).query()).isEqualTo("query=label%3A%22RfRun9%22");
        assertThat(tracker.requests().get(1).json().getJsonArray("labels"))
                .isEqualTo(Json.createArrayBuilder().add(json("{\"name\": \"RfRun9\"}")).build());
        assertThat(tracker.requests().get(1).json().getString("name"))
                .isEqualTo("Rainforest run #9 timed out waiting for the webhook");
        assertThat(tracker.requests().get(2).path()).isEqualTo(PROJECT + "/stories/600/comments");
    }

    @Test
    void integrationTestFilesAStoryWithoutAComment() {
        tracker.enqueue(search(), Reply.json(200, "{\"id\": 700}"));

        assertThat(integration.deliver(event(Event.INTEGRATION_TEST, "{}"), settings(" 99 ", TOKEN), context))
                .isEqualTo(Outcome.delivered());

        assertThat(tracker.requests()).hasSize(2);
        assertThat(tracker.requests().get(0).query()).isEqualTo("query=label%3A%22Integration%20Test%22");
        assertThat(tracker.requests().get(1).json().getJsonArray("labels"))
                .isEqualTo(Json.createArrayBuilder().add(json("{\"name\": \"Integration Test\"}")).build());
    }

    @ParameterizedTest
    @ValueSource(strings = {"run_completion", "run_error", "run_started"})
    void otherEventsAreSkippedWithoutSending(String type) {
        assertThat(integration.deliver(event(type, "{\"run\": {\"id\": 1}}"), settings("99", TOKEN), context))
                .isEqualTo(Outcome.skipped("Pivotal Tracker files stories only for failed tests and webhook time-outs"));
        assertThat(tracker.requests()).isEmpty();
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(textBlock = """
            403, USER_CONFIGURATION_ERROR,  'Pivotal Tracker answered 403 to the story search: the API token was refused; check api_token'
            404, USER_CONFIGURATION_ERROR,  'Pivotal Tracker answered 404 to the story search: the project does not exist or the token''s owner cannot see it; check project_id'
            400, MISCONFIGURED_INTEGRATION, 'Pivotal Tracker answered 400 to the story search: Pivotal Tracker refused the request'
            401, MISCONFIGURED_INTEGRATION, 'Pivotal Tracker answered 401 to the story search: Pivotal Tracker refused the request'
            422, MISCONFIGURED_INTEGRATION, 'Pivotal Tracker answered 422 to the story search: Pivotal Tracker refused the request'
            301, MISCONFIGURED_INTEGRATION, 'Pivotal Tracker answered 301 to the story search: the answer did not come from the Pivotal Tracker API; check plugins.pivotal_tracker.api-url'
            429, TRANSIENT,                 'Pivotal Tracker answered 429 to the story search: Pivotal Tracker is rate-limiting this token'
            500, TRANSIENT,                 'Pivotal Tracker answered 500 to the story search: Pivotal Tracker failed on its side'
            503, TRANSIENT,                 'Pivotal Tracker answered 503 to the story search: Pivotal Tracker failed on its side'
            """)
    void searchErrorsMapToErrorTypes(int status, ErrorType expected, String message) {
        String body = "{\"kind\": \"error\", \"code\": \"x\", \"error\": \"nope\"}";
        tracker.enqueue(Reply.json(status, body));

        IntegrationException e = failure(TEST_FAILURE, settings("99", TOKEN));

        assertThat(e.type()).isEqualTo(expected);
        assertThat(e.getMessage()).isEqualTo(message);
        assertThat(e.status()).hasValue(status);
        assertThat(e.response().orElseThrow().body()).isEqualTo(body);
        assertThat(tracker.requests()).hasSize(1);
    }

    @Test
    void failedCreateStopsBeforeTheComment() {
        tracker.enqueue(search(), Reply.json(400, "{\"kind\": \"error\", \"code\": \"invalid_parameter\"}"));

        IntegrationException e = failure(TEST_FAILURE, settings("99", TOKEN));

        assertThat(e.type()).isEqualTo(ErrorType.MISCONFIGURED_INTEGRATION);
        assertThat(e.getMessage())
                .isEqualTo("Pivotal Tracker answered 400 to the new story: Pivotal Tracker refused the request");
        assertThat(tracker.requests()).hasSize(2);
    }

    @Test
    void failedCommentIsReportedAsSuch() {
        tracker.enqueue(search(), Reply.json(200, "{\"id\": 555}"), Reply.json(502, "bad gateway"));

        IntegrationException e = failure(TEST_FAILURE, settings("99", TOKEN));

        assertThat(e.type()).isEqualTo(ErrorType.TRANSIENT);
        assertThat(e.getMessage())
                .isEqualTo("Pivotal Tracker answered 502 to the story comment: Pivotal Tracker failed on its side");
    }

    @Test
    void failedUpdateIsReportedAsSuch() {
        tracker.enqueue(search("{\"id\": 504, \"current_state\": \"started\", \"labels\": [{\"name\": \"RfTest12\"}]}"),
                Reply.json(403, "{\"kind\": \"error\", \"code\": \"unauthorized_operation\"}"));

        IntegrationException e = failure(TEST_FAILURE, settings("99", TOKEN));

        assertThat(e.type()).isEqualTo(ErrorType.USER_CONFIGURATION_ERROR);
        assertThat(e.getMessage()).isEqualTo(
                "Pivotal Tracker answered 403 to the story update: the API token was refused; check api_token");
    }

    @ParameterizedTest
    @ValueSource(strings = {"<html>hello</html>", "[]", "{\"stories\": []}", ""})
    void searchAnswerThatIsNotTrackersJsonIsMisconfigured(String body) {
        tracker.enqueue(Reply.status(200, body));

        IntegrationException e = failure(TEST_FAILURE, settings("99", TOKEN));

        assertThat(e.type()).isEqualTo(ErrorType.MISCONFIGURED_INTEGRATION);
        assertThat(e.getMessage()).isEqualTo("Pivotal Tracker's answer to the story search was not the JSON it sends; "
                + "check plugins.pivotal_tracker.api-url");
        assertThat(e.response().orElseThrow().body()).isEqualTo(body);
    }

    @Test
    void createdStoryWithoutNumericIdIsMisconfigured() {
        tracker.enqueue(search(), Reply.json(200, "{\"id\": \"../../x\"}"));

        IntegrationException e = failure(TEST_FAILURE, settings("99", TOKEN));

        assertThat(e.type()).isEqualTo(ErrorType.MISCONFIGURED_INTEGRATION);
        assertThat(e.getMessage()).isEqualTo(
                "Pivotal Tracker sent a story without a numeric id; check plugins.pivotal_tracker.api-url");
        assertThat(tracker.requests()).hasSize(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "12/../13", "1 2", "-5", "99?x=1", "1234567890123456789"})
    void projectIdThatIsNotANumberIsAUserConfigurationError(String projectId) {
        IntegrationException e = failure(TEST_FAILURE, settings(projectId, TOKEN));

        assertThat(e.type()).isEqualTo(ErrorType.USER_CONFIGURATION_ERROR);
        assertThat(e.getMessage()).isEqualTo("setting \"project_id\" must be the project's number, as in "
                + "https://www.pivotaltracker.com/n/projects/<number>");
        assertThat(tracker.requests()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"two words", "line\nbreak", "naïve"})
    void tokenThatCannotBeAHeaderIsAUserConfigurationErrorWithoutEchoingIt(String token) {
        IntegrationException e = failure(TEST_FAILURE, settings("99", token));

        assertThat(e.type()).isEqualTo(ErrorType.USER_CONFIGURATION_ERROR);
        assertThat(e.getMessage()).isEqualTo(
                "setting \"api_token\" is not a Pivotal Tracker token: it holds spaces or unusual characters");
        assertThat(e.getMessage()).doesNotContain(token);
        assertThat(tracker.requests()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"www.pivotaltracker.com/services/v5", "ftp://x", "http://", "https://x/v5?a=1"})
    void badOperatorApiUrlIsMisconfigured(String apiUrl) {
        try (TestContext badContext = new TestContext(Map.of("api-url", apiUrl), Clock.systemUTC())) {
            IntegrationException e = catchThrowableOfType(IntegrationException.class,
                    () -> integration.deliver(TEST_FAILURE, settings("99", TOKEN), badContext));

            assertThat(e.type()).isEqualTo(ErrorType.MISCONFIGURED_INTEGRATION);
            assertThat(e.getMessage())
                    .isEqualTo("the operator's plugins.<key>.api-url is not an absolute http(s) URL");
        }
    }

    @Test
    void defaultApiUrlIsPivotalTrackersOwn() {
        assertThat(PivotalTrackerIntegration.DEFAULT_API_URL).isEqualTo("https://www.pivotaltracker.com/services/v5");
    }

    @Test
    void unreachableTrackerIsTransient() {
        tracker.close();

        IntegrationException e = failure(TEST_FAILURE, settings("99", TOKEN));

        assertThat(e.type()).isEqualTo(ErrorType.TRANSIENT);
        assertThat(e.response()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"project_id", "api_token"})
    void missingRequiredSettingIsMisconfigured(String missing) {
        Settings settings = missing.equals("project_id")
                ? Settings.of(Map.of("api_token", Json.createValue(TOKEN)))
                : Settings.of(Map.of("project_id", Json.createValue("99")));

        IntegrationException e = failure(TEST_FAILURE, settings);

        assertThat(e.type()).isEqualTo(ErrorType.MISCONFIGURED_INTEGRATION);
        assertThat(e.getMessage()).isEqualTo("required setting \"" + missing + "\" is missing");
        assertThat(tracker.requests()).isEmpty();
    }

    private IntegrationException failure(Event event, Settings settings) {
        IntegrationException e = catchThrowableOfType(IntegrationException.class,
                () -> integration.deliver(event, settings, context));
        assertThat(e).as("expected an IntegrationException").isNotNull();
        assertThat(e.getMessage()).doesNotContain(TOKEN);
        return e;
    }

    /** Tracker's search answer holding the given stories (JSON objects, comma-separated). */
    static Reply search(String... stories) {
        return Reply.json(200, "{\"stories\": {\"stories\": [" + String.join(",", stories) + "], \"total_hits\": "
                + stories.length + "}, \"epics\": {\"epics\": [], \"total_hits\": 0}, \"query\": \"q\"}");
    }

    private static Settings settings(String projectId, String token) {
        return Settings.of(Map.of("project_id", Json.createValue(projectId), "api_token", Json.createValue(token)));
    }
}
