package com.rainforestqa.integrations.plugin.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.rainforestqa.integrations.api.ErrorType;
import com.rainforestqa.integrations.api.Event;
import com.rainforestqa.integrations.api.IntegrationException;
import com.rainforestqa.integrations.api.Outcome;
import com.rainforestqa.integrations.api.Settings;
import com.rainforestqa.integrations.plugin.github.FakeGitHub.Route;
import com.rainforestqa.integrations.testkit.RecordedRequest;
import com.rainforestqa.integrations.testkit.Reply;
import com.rainforestqa.integrations.testkit.TestContext;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.io.StringReader;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GitHubIssuesIntegrationTest {
    private static final Instant NOW = Instant.ofEpochSecond(1_700_000_000);
    private static final String SEARCH_TEST_12 = "q=repo%3Aoctocat%2Fhello-world+is%3Aissue+state%3Aopen+label%3A%22"
            + "rainforest-test-12%22&per_page=1";

    static final String TEST_FAILURE = """
            {"frontend_url": "https://app.rainforestqa.com/runs/7",
             "run": {"id": 7, "description": "Nightly", "environment": {"name": "QA"}},
             "failed_test": {"id": 12, "title": "Login", "frontend_url": "https://app.rainforestqa.com/tests/12"},
             "browser": {"description": "Chrome"},
             "feedback": [{"worker_name": "Ann", "note": "button missing"}]}""";
    static final String TIMEOUT = """
            {"frontend_url": "https://app.rainforestqa.com/runs/9",
             "run": {"id": 9, "description": "Smoke", "environment": "Staging"}}""";

    private final FakeGitHub github = FakeGitHub.start();
    private final TestContext context = new TestContext(Map.of("api-url", github.baseUrl() + "/"),
            Clock.fixed(NOW, ZoneOffset.UTC));
    private final GitHubIssuesIntegration integration = new GitHubIssuesIntegration();

    @AfterEach
    void close() {
        context.close();
        github.close();
    }

    @Test
    void keyIsGithubIssues() {
        assertThat(integration.key()).isEqualTo("github_issues");
    }

    @Test
    void failedTestIsFiledAsAnIssueLabelledWithTheTestId() {
        Outcome outcome = integration.deliver(event(Event.RUN_TEST_FAILURE, TEST_FAILURE), settings(), context);

        assertThat(outcome).isEqualTo(new Outcome(Outcome.Status.DELIVERED, "created octocat/hello-world#1"));
        assertThat(github.calls()).containsExactly("GET /search/issues", "POST /repos/octocat/hello-world/issues");
        RecordedRequest search = github.requests().getFirst();
        assertThat(search.query()).isEqualTo(SEARCH_TEST_12);
        assertThat(search.body()).isEmpty();
        for (RecordedRequest request : github.requests()) {
            assertThat(request.header("Authorization")).contains("Bearer " + FakeGitHub.TOKEN);
            assertThat(request.header("Accept")).contains("application/vnd.github+json");
            assertThat(request.header("X-GitHub-Api-Version")).contains("2022-11-28");
            assertThat(request.header("User-Agent")).contains("rainforest-integrations");
        }
        assertThat(github.requests().getLast().header("Content-Type")).contains("application/json");
        assertThat(github.created()).containsExactly(Json.createObjectBuilder()
                .add("title", "Rainforest test failed: Login")
                .add("body", """
                        The Rainforest test **Login** failed in run 7.

                        - **Test:** [Login](https://app.rainforestqa.com/tests/12)
                        - **Run:** [7](https://app.rainforestqa.com/runs/7)
                        - **Run description:** Nightly
                        - **Environment:** QA
                        - **Browser:** Chrome

                        #### Tester feedback

                        - **Ann:** button missing

                        _Filed by Rainforest. While this issue is open, later failures of this test are added to \
                        it as comments._""")
                .add("labels", Json.createArrayBuilder().add("rainforest-test-12"))
                .build());
    }

    @Test
    void openIssueForTheSameTestGetsACommentInsteadOfATwin() {
        long existing = github.openIssue("rainforest-test-12");

        Outcome outcome = integration.deliver(event(Event.RUN_TEST_FAILURE, TEST_FAILURE), settings(), context);

        assertThat(outcome).isEqualTo(new Outcome(Outcome.Status.DELIVERED, "commented on octocat/hello-world#1"));
        assertThat(existing).isEqualTo(1);
        assertThat(github.calls()).containsExactly("GET /search/issues",
                "POST /repos/octocat/hello-world/issues/1/comments");
        assertThat(github.created()).isEmpty();
        assertThat(github.requests().getLast().json().keySet()).containsExactly("body");
        assertThat(github.comments(1)).containsExactly("""
                The test failed again, in run 7.

                - **Run:** [7](https://app.rainforestqa.com/runs/7)
                - **Run description:** Nightly
                - **Environment:** QA
                - **Browser:** Chrome

                #### Tester feedback

                - **Ann:** button missing""");
    }

    @Test
    void extraLabelsFollowTheEventsLabelOnNewIssuesWithoutDuplicates() {
        Settings settings = settings(Map.of("labels", " flaky, qa ,,flaky, rainforest-test-12"));

        integration.deliver(event(Event.RUN_TEST_FAILURE, TEST_FAILURE), settings, context);

        assertThat(github.created().getFirst().getJsonArray("labels")).isEqualTo(Json.createArrayBuilder()
                .add("rainforest-test-12").add("flaky").add("qa").build());
        assertThat(github.requests().getFirst().query()).isEqualTo(SEARCH_TEST_12);
    }

    @Test
    void webhookTimeOutIsFiledLabelledWithTheRunIdAndSaysWhereToGetHelp() {
        assertThat(integration.deliver(event(Event.WEBHOOK_TIMEOUT, TIMEOUT), settings(), context))
                .isEqualTo(new Outcome(Outcome.Status.DELIVERED, "created octocat/hello-world#1"));

        assertThat(github.requests().getFirst().query()).isEqualTo("q=repo%3Aoctocat%2Fhello-world+is%3Aissue"
                + "+state%3Aopen+label%3A%22rainforest-run-9%22&per_page=1");
        assertThat(github.created()).containsExactly(Json.createObjectBuilder()
                .add("title", "Rainforest run 9 timed out: Smoke")
                .add("body", """
                        Rainforest run 9 (Smoke) timed out: the webhook Rainforest calls before the run did not \
                        answer in time, so the run could not go ahead.

                        - **Run:** [9](https://app.rainforestqa.com/runs/9)
                        - **Run description:** Smoke
                        - **Environment:** Staging

                        Check that the webhook configured for this environment is up and answers Rainforest's call. \
                        For help, contact Rainforest support at help@rainforestqa.com.""")
                .add("labels", Json.createArrayBuilder().add("rainforest-run-9"))
                .build());
    }

    @Test
    void secondTimeOutOfTheSameRunIsACommentOnTheFirstIssue() {
        integration.deliver(event(Event.WEBHOOK_TIMEOUT, TIMEOUT), settings(), context);
        Outcome second = integration.deliver(event(Event.WEBHOOK_TIMEOUT, TIMEOUT), settings(), context);

        assertThat(second).isEqualTo(new Outcome(Outcome.Status.DELIVERED, "commented on octocat/hello-world#1"));
        assertThat(github.calls()).containsExactly("GET /search/issues", "POST /repos/octocat/hello-world/issues",
                "GET /search/issues", "POST /repos/octocat/hello-world/issues/1/comments");
        assertThat(github.comments(1)).containsExactly("""
                Run 9 timed out again.

                - **Run:** [9](https://app.rainforestqa.com/runs/9)
                - **Run description:** Smoke
                - **Environment:** Staging""");
    }

    @Test
    void integrationCheckFilesOneCheckIssueAndCommentsOnItAfterwards() {
        Outcome first = integration.deliver(event(Event.INTEGRATION_TEST, "{}"), settings(), context);
        Outcome second = integration.deliver(event(Event.INTEGRATION_TEST, "{}"), settings(), context);

        assertThat(first).isEqualTo(new Outcome(Outcome.Status.DELIVERED, "created octocat/hello-world#1"));
        assertThat(second).isEqualTo(new Outcome(Outcome.Status.DELIVERED, "commented on octocat/hello-world#1"));
        assertThat(github.requests().getFirst().query()).isEqualTo("q=repo%3Aoctocat%2Fhello-world+is%3Aissue"
                + "+state%3Aopen+label%3A%22rainforest-integration-test%22&per_page=1");
        assertThat(github.created()).containsExactly(Json.createObjectBuilder()
                .add("title", "Rainforest integration check")
                .add("body", "Rainforest created this issue to check its GitHub Issues integration, and it works: "
                        + "failed tests and webhook time-outs will be filed as issues in octocat/hello-world. You "
                        + "can close this issue.")
                .add("labels", Json.createArrayBuilder().add("rainforest-integration-test"))
                .build());
        assertThat(github.comments(1))
                .containsExactly("Rainforest checked its GitHub Issues integration again, and it still works.");
    }

    @ParameterizedTest
    @ValueSource(strings = {Event.RUN_COMPLETION, Event.RUN_ERROR})
    void eventsOtherThanFailuresAndTimeOutsAreSkippedWithoutContactingGitHub(String type) {
        Outcome outcome = integration.deliver(event(type, TIMEOUT), settings(), context);

        assertThat(outcome).isEqualTo(Outcome.skipped(
                "GitHub Issues files issues only for failed tests and webhook time-outs"));
        assertThat(github.requests()).isEmpty();
    }

    @Test
    void textFromTheEventIsEscapedSoItCannotMentionUsersOrBreakTheMarkdown() {
        String payload = """
                {"frontend_url": "https://app.rainforestqa.com/runs/7?tab=(all)",
                 "run": {"id": 7, "description": "Nightly <b>#42</b>", "environment": "QA|prod"},
                 "failed_test": {"id": 12, "title": "Log in as @admin *now*\\n[x](javascript:alert(1))",
                                 "frontend_url": "javascript:alert(1)"},
                 "browser": {"description": "Chrome_120"},
                 "feedback": [{"worker_name": "Ann `dev`", "note": "line one\\n- line two ~~gone~~ &amp;"}]}""";

        integration.deliver(event(Event.RUN_TEST_FAILURE, payload), settings(), context);

        JsonObject issue = github.created().getFirst();
        assertThat(issue.getString("title"))
                .isEqualTo("Rainforest test failed: Log in as @admin *now* [x](javascript:alert(1))");
        assertThat(issue.getString("body")).isEqualTo("""
                The Rainforest test **Log in as \\@admin \\*now\\* \\[x\\](javascript:alert(1))** failed in run 7.

                - **Test:** Log in as \\@admin \\*now\\* \\[x\\](javascript:alert(1))
                - **Run:** [7](https://app.rainforestqa.com/runs/7?tab=%28all%29)
                - **Run description:** Nightly \\<b\\>\\#42\\</b\\>
                - **Environment:** QA\\|prod
                - **Browser:** Chrome\\_120

                #### Tester feedback

                - **Ann \\`dev\\`:** line one - line two \\~\\~gone\\~\\~ \\&amp;

                _Filed by Rainforest. While this issue is open, later failures of this test are added to it as \
                comments._""");
    }

    @Test
    void longTitlesAreCutWithAnEllipsis() {
        String payload = TEST_FAILURE.replace("\"title\": \"Login\"", "\"title\": \"" + "x".repeat(300) + "\"");

        integration.deliver(event(Event.RUN_TEST_FAILURE, payload), settings(), context);

        String title = github.created().getFirst().getString("title");
        assertThat(title).hasSize(IssueTexts.MAX_TITLE)
                .isEqualTo("Rainforest test failed: " + "x".repeat(IssueTexts.MAX_TITLE - 25) + "…");
    }

    @Test
    void idTooLongForALabelGetsADigestSoTheSameIdFindsItsIssueAndAnotherIdDoesNot() {
        String longId = "9".repeat(100_000);
        String payload = TEST_FAILURE.replace("\"id\": 12", "\"id\": \"" + longId + "\"");

        Outcome first = integration.deliver(event(Event.RUN_TEST_FAILURE, payload), settings(), context);
        Outcome again = integration.deliver(event(Event.RUN_TEST_FAILURE, payload), settings(), context);
        Outcome other = integration.deliver(event(Event.RUN_TEST_FAILURE, payload.replace(longId, longId + "1")),
                settings(), context);

        assertThat(first).isEqualTo(new Outcome(Outcome.Status.DELIVERED, "created octocat/hello-world#1"));
        assertThat(again).isEqualTo(new Outcome(Outcome.Status.DELIVERED, "commented on octocat/hello-world#1"));
        assertThat(other).isEqualTo(new Outcome(Outcome.Status.DELIVERED, "created octocat/hello-world#2"));
        String label = github.created().getFirst().getJsonArray("labels").getString(0);
        assertThat(label).hasSize(50).matches("rainforest-test-9{17}-[0-9a-f]{16}");
        assertThat(github.created().getLast().getJsonArray("labels").getString(0)).hasSize(50).isNotEqualTo(label);
    }

    @Test
    void idThatFitsALabelIsKeptWhole() {
        assertThat(IssueTexts.label(IssueTexts.TEST_LABEL, "x".repeat(34))).isEqualTo("rainforest-test-" + "x".repeat(34));
        assertThat(IssueTexts.label(IssueTexts.RUN_LABEL, " 12 ")).isEqualTo("rainforest-run-12");
    }

    @Test
    void bodyLongerThanGitHubAllowsIsCutWithANote() {
        String payload = TEST_FAILURE.replace("\"title\": \"Login\"", "\"title\": \"" + "\uD83D\uDE00".repeat(40_000)
                + "\"");

        integration.deliver(event(Event.RUN_TEST_FAILURE, payload), settings(), context);

        String body = github.created().getFirst().getString("body");
        assertThat(body.length()).isLessThanOrEqualTo(IssueTexts.MAX_BODY).isGreaterThan(IssueTexts.MAX_BODY - 30);
        assertThat(body).startsWith("The Rainforest test **\uD83D\uDE00").endsWith("\n\n_(cut to GitHub's limit)_");
        assertThat(Character.isHighSurrogate(body.charAt(body.length() - "\n\n_(cut to GitHub's limit)_".length() - 1)))
                .isFalse();
    }

    @Test
    void failedTestWithoutAnIdIsMisconfiguredBeforeAnythingIsSent() {
        String payload = TEST_FAILURE.replace("\"id\": 12, ", "");

        IntegrationException failure = deliverFailing(event(Event.RUN_TEST_FAILURE, payload), settings());

        assertThat(failure.type()).isEqualTo(ErrorType.MISCONFIGURED_INTEGRATION);
        assertThat(failure.getMessage()).isEqualTo("the event has no failed_test.id, so the plugin cannot tell "
                + "whether GitHub already has an issue for the failed test");
        assertThat(github.requests()).isEmpty();
    }

    @Test
    void timeOutWithoutARunIdIsMisconfiguredBeforeAnythingIsSent() {
        IntegrationException failure = deliverFailing(event(Event.WEBHOOK_TIMEOUT, "{\"run\": {}}"), settings());

        assertThat(failure.type()).isEqualTo(ErrorType.MISCONFIGURED_INTEGRATION);
        assertThat(failure.getMessage()).isEqualTo("the event has no run.id, so the plugin cannot tell whether "
                + "GitHub already has an issue for the run");
        assertThat(github.requests()).isEmpty();
    }

    // --- settings ---

    @ParameterizedTest
    @ValueSource(strings = {"hello-world", "octocat/", "/hello-world", "octocat/hello/world",
            "https://github.com/octocat/hello-world", "octo cat/hello-world", "-octocat/hello-world",
            "octocat/hello world", "octocat/..", "octocat/hello-world?x=1", "octocat/héllo",
            "a234567890123456789012345678901234567890/repo"})
    void repositoryNotShapedLikeOwnerSlashNameIsAUserConfigurationErrorBeforeAnythingIsSent(String repository) {
        IntegrationException failure = deliverFailing(event(Event.INTEGRATION_TEST, "{}"),
                settings(Map.of("repository", repository)));

        assertThat(failure.type()).isEqualTo(ErrorType.USER_CONFIGURATION_ERROR);
        assertThat(failure.getMessage()).isEqualTo("setting \"repository\" must be the repository's owner and name "
                + "as owner/name, such as octocat/hello-world (letters, digits, '-', and in the name also '.' and "
                + "'_')");
        assertThat(github.requests()).isEmpty();
    }

    @Test
    void repositoryWithSurroundingSpacesAndGitHubsOtherCharactersIsAccepted() {
        GitHubSettings parsed = GitHubSettings.from(settings(Map.of("repository", "  Octo-Cat9/my_repo.js-2 ")));

        assertThat(parsed.owner()).isEqualTo("Octo-Cat9");
        assertThat(parsed.name()).isEqualTo("my_repo.js-2");
        assertThat(parsed.toString()).isEqualTo("GitHubSettings[Octo-Cat9/my_repo.js-2, labels=[]]")
                .doesNotContain(FakeGitHub.TOKEN);
    }

    @Test
    void tokenWithSpacesIsAUserConfigurationErrorThatDoesNotShowIt() {
        IntegrationException failure = deliverFailing(event(Event.INTEGRATION_TEST, "{}"),
                settings(Map.of("token", "ghp_abc def")));

        assertThat(failure.type()).isEqualTo(ErrorType.USER_CONFIGURATION_ERROR);
        assertThat(failure.getMessage())
                .isEqualTo("setting \"token\" is not a GitHub token: it holds spaces or unusual characters");
        assertThat(github.requests()).isEmpty();
    }

    @Test
    void labelLongerThanGitHubAllowsIsAUserConfigurationError() {
        String label = "l".repeat(51);

        IntegrationException failure = deliverFailing(event(Event.INTEGRATION_TEST, "{}"),
                settings(Map.of("labels", "ok, " + label)));

        assertThat(failure.type()).isEqualTo(ErrorType.USER_CONFIGURATION_ERROR);
        assertThat(failure.getMessage())
                .isEqualTo("setting \"labels\" holds a label longer than GitHub's 50 characters: " + label);
        assertThat(github.requests()).isEmpty();
    }

    @Test
    void missingTokenIsMisconfigured() {
        Map<String, JsonValue> values = new LinkedHashMap<>();
        values.put("repository", Json.createValue(FakeGitHub.REPOSITORY));

        IntegrationException failure = deliverFailing(event(Event.INTEGRATION_TEST, "{}"), Settings.of(values));

        assertThat(failure.type()).isEqualTo(ErrorType.MISCONFIGURED_INTEGRATION);
        assertThat(failure.getMessage()).isEqualTo("required setting \"token\" is missing");
    }

    @Test
    void enterpriseServerApiUrlWithAPathIsTheBaseOfEveryRequest() {
        try (TestContext enterprise = new TestContext(Map.of("api-url", github.baseUrl() + "/api/v3/"),
                Clock.systemUTC())) {
            Outcome outcome = integration.deliver(event(Event.INTEGRATION_TEST, "{}"), settings(), enterprise);

            assertThat(outcome).isEqualTo(new Outcome(Outcome.Status.DELIVERED, "created octocat/hello-world#1"));
            assertThat(github.calls()).containsExactly("GET /api/v3/search/issues",
                    "POST /api/v3/repos/octocat/hello-world/issues");
        }
    }

    @Test
    void operatorApiUrlThatIsNotAUrlIsMisconfigured() {
        try (TestContext broken = new TestContext(Map.of("api-url", "api.github.com"), Clock.systemUTC())) {
            IntegrationException failure = catchThrowableOfType(IntegrationException.class,
                    () -> integration.deliver(event(Event.INTEGRATION_TEST, "{}"), settings(), broken));

            assertThat(failure.type()).isEqualTo(ErrorType.MISCONFIGURED_INTEGRATION);
            assertThat(failure.getMessage())
                    .isEqualTo("the operator's plugins.<key>.api-url is not an absolute http(s) URL");
        }
    }

    // --- GitHub's answers ---

    @Test
    void rejectedTokenIsAUserConfigurationErrorThatNeverShowsTheToken() {
        String wrong = "ghp_wrongtoken000";

        IntegrationException failure = deliverFailing(event(Event.RUN_TEST_FAILURE, TEST_FAILURE),
                settings(Map.of("token", wrong)));

        assertThat(failure.type()).isEqualTo(ErrorType.USER_CONFIGURATION_ERROR);
        assertThat(failure.getMessage()).isEqualTo("GitHub answered 401 to the issue search: bad credentials; the "
                + "token is wrong, expired or revoked: check setting \"token\"");
        assertThat(failure.status()).hasValue(401);
        assertThat(failure.response().orElseThrow().body()).contains("Bad credentials");
        assertThat(failure.getMessage()).doesNotContain(wrong);
        assertThat(github.calls()).containsExactly("GET /search/issues");
    }

    @Test
    void primaryRateLimitWaitsUntilTheResetTime() {
        github.failNext(Route.SEARCH, FakeGitHub.message(403, "API rate limit exceeded for user ID 1.")
                .withHeader("x-ratelimit-limit", "5000").withHeader("x-ratelimit-remaining", "0")
                .withHeader("x-ratelimit-reset", String.valueOf(NOW.getEpochSecond() + 42)));

        IntegrationException failure = deliverFailing(event(Event.RUN_TEST_FAILURE, TEST_FAILURE), settings());

        assertThat(failure.type()).isEqualTo(ErrorType.TRANSIENT);
        assertThat(failure.retryAfter()).contains(Duration.ofSeconds(42));
        assertThat(failure.getMessage()).isEqualTo("GitHub answered 403 to the issue search: rate limited; the token "
                + "has no requests left until 2023-11-14T22:14:02Z");
        assertThat(failure.status()).hasValue(403);
    }

    @Test
    void rateLimitWhoseResetHasPassedIsRetriedAtOnce() {
        github.failNext(Route.CREATE, FakeGitHub.message(429, "API rate limit exceeded")
                .withHeader("x-ratelimit-remaining", "0")
                .withHeader("x-ratelimit-reset", String.valueOf(NOW.getEpochSecond() - 5)));

        IntegrationException failure = deliverFailing(event(Event.RUN_TEST_FAILURE, TEST_FAILURE), settings());

        assertThat(failure.type()).isEqualTo(ErrorType.TRANSIENT);
        assertThat(failure.retryAfter()).contains(Duration.ZERO);
        assertThat(failure.status()).hasValue(429);
    }

    @Test
    void rateLimitWithoutAResetTimeLeavesTheWaitToTheHost() {
        github.failNext(Route.SEARCH, FakeGitHub.message(403, "API rate limit exceeded")
                .withHeader("x-ratelimit-remaining", "0"));

        IntegrationException failure = deliverFailing(event(Event.RUN_TEST_FAILURE, TEST_FAILURE), settings());

        assertThat(failure.type()).isEqualTo(ErrorType.TRANSIENT);
        assertThat(failure.retryAfter()).isEmpty();
        assertThat(failure.getMessage())
                .isEqualTo("GitHub answered 403 to the issue search: rate limited; the token has no requests left");
    }

    @Test
    void retryAfterHeaderMakesA403ARateLimitThatTheHostWaitsOut() {
        github.failNext(Route.CREATE, FakeGitHub.message(403,
                "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.")
                .withHeader("retry-after", "30"));

        IntegrationException failure = deliverFailing(event(Event.RUN_TEST_FAILURE, TEST_FAILURE), settings());

        assertThat(failure.type()).isEqualTo(ErrorType.TRANSIENT);
        // The host reads Retry-After from the response itself.
        assertThat(failure.retryAfter()).isEmpty();
        assertThat(failure.response().orElseThrow().header("Retry-After")).contains("30");
        assertThat(failure.getMessage())
                .isEqualTo("GitHub answered 403 to creating the issue: rate limited; GitHub asked to wait 30 s");
    }

    @Test
    void secondaryRateLimitNamedOnlyByTheMessageWaitsAMinute() {
        github.failNext(Route.CREATE, FakeGitHub.message(403,
                "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.")
                .withHeader("x-ratelimit-remaining", "4990"));

        IntegrationException failure = deliverFailing(event(Event.RUN_TEST_FAILURE, TEST_FAILURE), settings());

        assertThat(failure.type()).isEqualTo(ErrorType.TRANSIENT);
        assertThat(failure.retryAfter()).contains(Duration.ofMinutes(1));
        assertThat(failure.getMessage()).isEqualTo("GitHub answered 403 to creating the issue: rate limited; You "
                + "have exceeded a secondary rate limit. Please wait a few minutes before you try again.");
    }

    @Test
    void forbiddenWithoutRateLimitHeadersNamesThePermissionGitHubAsksFor() {
        github.failNext(Route.CREATE, FakeGitHub.message(403, "Resource not accessible by personal access token")
                .withHeader("x-accepted-github-permissions", "issues=write")
                .withHeader("x-ratelimit-remaining", "4999"));

        IntegrationException failure = deliverFailing(event(Event.RUN_TEST_FAILURE, TEST_FAILURE), settings());

        assertThat(failure.type()).isEqualTo(ErrorType.USER_CONFIGURATION_ERROR);
        assertThat(failure.getMessage()).isEqualTo("GitHub answered 403 to creating the issue: Resource not "
                + "accessible by personal access token; the token lacks the permission this needs (issues=write) on "
                + "octocat/hello-world; check setting \"token\"");
        assertThat(failure.status()).hasValue(403);
    }

    @Test
    void forbiddenWithoutAPermissionHeaderSaysWhatTheTokenNeeds() {
        github.failNext(Route.COMMENT, Reply.status(403, "<html>Forbidden</html>"));
        github.openIssue("rainforest-test-12");

        IntegrationException failure = deliverFailing(event(Event.RUN_TEST_FAILURE, TEST_FAILURE), settings());

        assertThat(failure.type()).isEqualTo(ErrorType.USER_CONFIGURATION_ERROR);
        assertThat(failure.getMessage()).isEqualTo("GitHub answered 403 to commenting on issue #1: the token may not "
                + "do this in octocat/hello-world; check setting \"token\": it needs read and write access to issues "
                + "(fine-grained token) or the repo scope (classic token)");
    }

    @Test
    void tooManyRequestsWithoutRateLimitHeadersIsTransient() {
        github.failNext(Route.SEARCH, Reply.status(429));

        IntegrationException failure = deliverFailing(event(Event.RUN_TEST_FAILURE, TEST_FAILURE), settings());

        assertThat(failure.type()).isEqualTo(ErrorType.TRANSIENT);
        assertThat(failure.retryAfter()).isEmpty();
        assertThat(failure.getMessage()).isEqualTo("GitHub answered 429 to the issue search: too many requests");
    }

    @Test
    void repositoryThatIsMissingOrHiddenFromTheSearchIsAUserConfigurationError() {
        IntegrationException failure = deliverFailing(event(Event.RUN_TEST_FAILURE, TEST_FAILURE),
                settings(Map.of("repository", "octocat/secret-repo")));

        assertThat(failure.type()).isEqualTo(ErrorType.USER_CONFIGURATION_ERROR);
        assertThat(failure.getMessage()).isEqualTo("GitHub answered 422 to the issue search: Validation Failed: The "
                + "listed users and repositories cannot be searched either because the resources do not exist or you "
                + "do not have permission to view them. Check setting \"repository\" (octocat/secret-repo) and that "
                + "the token has access to it.");
        assertThat(failure.status()).hasValue(422);
    }

    @Test
    void repositoryNotFoundWhenFilingIsAUserConfigurationError() {
        github.failNext(Route.CREATE, FakeGitHub.message(404, "Not Found"));

        IntegrationException failure = deliverFailing(event(Event.RUN_TEST_FAILURE, TEST_FAILURE), settings());

        assertThat(failure.type()).isEqualTo(ErrorType.USER_CONFIGURATION_ERROR);
        assertThat(failure.getMessage()).isEqualTo("GitHub answered 404 to creating the issue: repository "
                + "octocat/hello-world was not found, or the token cannot see it; check setting \"repository\" and "
                + "that the token has access to it");
        assertThat(failure.status()).hasValue(404);
    }

    @Test
    void disabledIssuesAreAUserConfigurationError() {
        github.failNext(Route.CREATE, FakeGitHub.message(410, "Issues are disabled for this repo"));

        IntegrationException failure = deliverFailing(event(Event.RUN_TEST_FAILURE, TEST_FAILURE), settings());

        assertThat(failure.type()).isEqualTo(ErrorType.USER_CONFIGURATION_ERROR);
        assertThat(failure.getMessage()).isEqualTo("GitHub answered 410 to creating the issue: issues are disabled in "
                + "octocat/hello-world; turn them on in the repository's settings, or choose another repository");
        assertThat(failure.status()).hasValue(410);
    }

    @Test
    void validationFailureIsMisconfiguredWithGitHubsErrors() {
        github.failNext(Route.CREATE, Reply.json(422, """
                {"message": "Validation Failed",
                 "errors": [{"resource": "Label", "field": "name", "code": "invalid"},
                            {"resource": "Issue", "field": "title", "code": "custom", "message": "title is too long"}],
                 "documentation_url": "https://docs.github.com/rest/issues/issues#create-an-issue", "status": "422"}"""));

        IntegrationException failure = deliverFailing(event(Event.RUN_TEST_FAILURE, TEST_FAILURE), settings());

        assertThat(failure.type()).isEqualTo(ErrorType.MISCONFIGURED_INTEGRATION);
        assertThat(failure.getMessage()).isEqualTo("GitHub answered 422 to creating the issue: GitHub refused the "
                + "request: Validation Failed: Label.name invalid; title is too long");
        assertThat(failure.status()).hasValue(422);
    }

    @Test
    void validationFailureWithoutErrorsShowsGitHubsMessage() {
        github.failNext(Route.COMMENT, FakeGitHub.message(422, "Body is too long"));
        github.openIssue("rainforest-test-12");

        IntegrationException failure = deliverFailing(event(Event.RUN_TEST_FAILURE, TEST_FAILURE), settings());

        assertThat(failure.type()).isEqualTo(ErrorType.MISCONFIGURED_INTEGRATION);
        assertThat(failure.getMessage()).isEqualTo(
                "GitHub answered 422 to commenting on issue #1: GitHub refused the request: Body is too long");
    }

    @Test
    void badRequestIsMisconfigured() {
        github.failNext(Route.CREATE, FakeGitHub.message(400, "Problems parsing JSON"));

        IntegrationException failure = deliverFailing(event(Event.RUN_TEST_FAILURE, TEST_FAILURE), settings());

        assertThat(failure.type()).isEqualTo(ErrorType.MISCONFIGURED_INTEGRATION);
        assertThat(failure.getMessage()).isEqualTo(
                "GitHub answered 400 to creating the issue: GitHub refused the request: Problems parsing JSON");
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 502, 503, 504})
    void serverErrorsAreTransient(int status) {
        github.failNext(Route.SEARCH, FakeGitHub.message(status, "Server Error"));

        IntegrationException failure = deliverFailing(event(Event.RUN_TEST_FAILURE, TEST_FAILURE), settings());

        assertThat(failure.type()).isEqualTo(ErrorType.TRANSIENT);
        assertThat(failure.getMessage())
                .isEqualTo("GitHub answered " + status + " to the issue search: GitHub failed on its side");
        assertThat(failure.status()).hasValue(status);
    }

    @Test
    void redirectForARenamedRepositoryIsNotFollowedAndNamesTheSetting() {
        github.failNext(Route.CREATE, FakeGitHub.message(307, "Temporary Redirect")
                .withHeader("Location", github.baseUrl() + "/repositories/1/issues"));

        IntegrationException failure = deliverFailing(event(Event.RUN_TEST_FAILURE, TEST_FAILURE), settings());

        assertThat(failure.type()).isEqualTo(ErrorType.USER_CONFIGURATION_ERROR);
        assertThat(failure.getMessage()).isEqualTo("GitHub answered 307 to creating the issue: a redirect; if "
                + "repository octocat/hello-world was renamed or transferred, set \"repository\" to its new owner/name");
        assertThat(github.calls()).containsExactly("GET /search/issues", "POST /repos/octocat/hello-world/issues");
    }

    @Test
    void successThatIsNotGitHubsJsonPointsAtTheOperatorsApiUrl() {
        github.failNext(Route.SEARCH, Reply.status(200, "<html>Sign in</html>"));

        IntegrationException failure = deliverFailing(event(Event.RUN_TEST_FAILURE, TEST_FAILURE), settings());

        assertThat(failure.type()).isEqualTo(ErrorType.MISCONFIGURED_INTEGRATION);
        assertThat(failure.getMessage()).isEqualTo("GitHub answered 200 to the issue search: not GitHub's JSON; "
                + "check the installation's plugins.github_issues.api-url");
    }

    @Test
    void createdIssueWithoutANumberIsMisconfigured() {
        github.failNext(Route.CREATE, Reply.json(201, "{\"id\": 5}"));

        IntegrationException failure = deliverFailing(event(Event.RUN_TEST_FAILURE, TEST_FAILURE), settings());

        assertThat(failure.type()).isEqualTo(ErrorType.MISCONFIGURED_INTEGRATION);
        assertThat(failure.getMessage()).isEqualTo("GitHub's answer to creating the issue named no issue number; "
                + "check the installation's plugins.github_issues.api-url");
    }

    @Test
    void unreachableGitHubIsTransient() {
        String url = github.baseUrl();
        github.close();
        try (TestContext gone = new TestContext(Map.of("api-url", url), Clock.systemUTC())) {
            IntegrationException failure = catchThrowableOfType(IntegrationException.class,
                    () -> integration.deliver(event(Event.INTEGRATION_TEST, "{}"), settings(), gone));

            assertThat(failure.type()).isEqualTo(ErrorType.TRANSIENT);
        }
    }

    private IntegrationException deliverFailing(Event event, Settings settings) {
        IntegrationException failure = catchThrowableOfType(IntegrationException.class,
                () -> integration.deliver(event, settings, context));
        assertThat(failure).as("delivery should fail").isNotNull();
        return failure;
    }

    static Event event(String type, String payload) {
        return new Event(type, Optional.of("evt-1"), json(payload));
    }

    private static Settings settings() {
        return settings(Map.of());
    }

    private static Settings settings(Map<String, String> overrides) {
        Map<String, JsonValue> values = new LinkedHashMap<>();
        values.put("repository", Json.createValue(FakeGitHub.REPOSITORY));
        values.put("token", Json.createValue(FakeGitHub.TOKEN));
        overrides.forEach((key, value) -> values.put(key, Json.createValue(value)));
        return Settings.of(values);
    }

    static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }
}
