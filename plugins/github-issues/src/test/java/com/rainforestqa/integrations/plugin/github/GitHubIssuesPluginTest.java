package com.rainforestqa.integrations.plugin.github;

import static com.rainforestqa.integrations.plugin.github.GitHubIssuesIntegrationTest.TEST_FAILURE;
import static com.rainforestqa.integrations.plugin.github.GitHubIssuesIntegrationTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.rainforestqa.integrations.plugin.github.FakeGitHub.Route;
import com.rainforestqa.integrations.testkit.SamplePayloads;
import com.rainforestqa.integrations.testkit.harness.Delivery;
import com.rainforestqa.integrations.testkit.harness.PluginHarness;


import jakarta.json.JsonObject;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The GitHub Issues plugin as the host runs it, through the test kit's harness: packed into a jar in a plugins
 * directory, loaded in its own class loader, its schema checked, and events delivered by the host to a fake GitHub
 * named by {@code plugins.github_issues.api-url}, with the host's retries and redaction in the path.
 */
class GitHubIssuesPluginTest {
    private static final String REPOSITORY = "octocat/hello-world";

    private static PluginHarness harness;
    // The harness points the API URL at its target, so one fake on that target serves every test, reset before each.
    private static FakeGitHub github;

    @BeforeAll
    static void start() {
        harness = PluginHarness.builder()
                .classes(Path.of("target", "classes"))
                .config("""
                        integrations:
                          delivery:
                            deadline: PT10S
                        """)
                .start();
        github = FakeGitHub.on(harness.target());
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    @BeforeEach
    void reset() {
        github.reset();
    }

    @Test
    void schemaIsServedFromThePluginJar() {
        assertThat(harness.keys()).containsExactly("github_issues");
        assertThat(harness.problems()).isEmpty();
        assertThat(harness.schema("github_issues")).isEqualTo(json("""
                {"key": "github_issues", "title": "GitHub Issues",
                 "events": ["run_test_failure", "webhook_timeout"],
                 "settings": [
                   {"key": "repository", "title": "Repository (owner/name)", "required": true},
                   {"key": "token", "title": "Personal access token (Issues read and write)", "required": true,
                    "secret": true},
                   {"key": "labels", "title": "Extra labels (comma-separated)"}]}"""));
        assertThat(harness.classLoader("github_issues")).isNotSameAs(GitHubIssuesPluginTest.class.getClassLoader());
    }

    @Test
    void hundredThousandCharacterTestIdIsFiledNotTakenForAPluginFailure() {
        String payload = TEST_FAILURE.replace("\"id\": 12", "\"id\": \"" + "7".repeat(100_000) + "\"");

        Delivery delivery = harness.deliver("run_test_failure", settings(FakeGitHub.TOKEN), json(payload));

        assertThat(delivery.status()).as(delivery.result().toString()).isEqualTo("delivered");
        assertThat(github.created().getFirst().getJsonArray("labels").getString(0)).hasSize(50);
    }

    @Test
    void failedTestIsFiledThenCommentedOnThroughTheHost() {
        Delivery first = harness.deliver("run_test_failure", settings(FakeGitHub.TOKEN), json(TEST_FAILURE));
        Delivery second = harness.deliver("run_test_failure", settings(FakeGitHub.TOKEN), json(TEST_FAILURE));

        assertThat(first.status()).as(first.result().toString()).isEqualTo("delivered");
        assertThat(second.status()).as(second.result().toString()).isEqualTo("delivered");
        assertThat(github.calls()).containsExactly("GET /search/issues", "POST /repos/octocat/hello-world/issues",
                "GET /search/issues", "POST /repos/octocat/hello-world/issues/1/comments");
        assertThat(github.created()).hasSize(1);
        assertThat(github.created().getFirst().getJsonArray("labels").getString(0)).isEqualTo("rainforest-test-12");
        assertThat(github.comments(1)).hasSize(1);
    }

    @Test
    void eventsGitHubDoesNotHandleAreSkippedWithoutContactingIt() {
        Delivery delivery = harness.deliver("run_completion", settings(FakeGitHub.TOKEN), json(TEST_FAILURE));

        assertThat(delivery.status()).as(delivery.result().toString()).isEqualTo("skipped");
        assertThat(github.calls()).isEmpty();
    }

    @Test
    void rejectedTokenIsAUserConfigurationErrorThatNeverShowsTheToken() {
        Delivery delivery = harness.deliver("run_test_failure", settings("ghp_wrong_token_000"), json(TEST_FAILURE));

        assertThat(delivery.status()).isEqualTo("failed");
        assertThat(delivery.type()).contains("user_configuration_error");
        assertThat(delivery.message()).contains("GitHub answered 401 to the issue search: bad credentials; the token "
                + "is wrong, expired or revoked: check setting \"token\"");
        assertThat(delivery.responseCode()).hasValue(401);
        assertThat(delivery.result().toString()).doesNotContain("ghp_wrong_token_000");
        assertThat(github.calls()).containsExactly("GET /search/issues");
    }

    @Test
    void missingTokenIsRefusedBeforeAnythingIsSent() {
        Delivery delivery = harness.deliver("integration_test", Map.of("repository", REPOSITORY),
                JsonObject.EMPTY_JSON_OBJECT);

        assertThat(delivery.status()).isEqualTo("failed");
        assertThat(delivery.type()).contains("misconfigured_integration");
        assertThat(github.calls()).isEmpty();
    }

    @Test
    void repositoryThatIsNotOwnerSlashNameIsAUserConfigurationErrorBeforeAnythingIsSent() {
        Delivery delivery = harness.deliver("integration_test",
                Map.of("repository", "https://github.com/" + REPOSITORY, "token", FakeGitHub.TOKEN),
                JsonObject.EMPTY_JSON_OBJECT);

        assertThat(delivery.status()).isEqualTo("failed");
        assertThat(delivery.type()).contains("user_configuration_error");
        assertThat(delivery.message()).hasValueSatisfying(message -> assertThat(message)
                .startsWith("setting \"repository\" must be "));
        assertThat(github.calls()).isEmpty();
    }

    @Test
    void primaryRateLimitIsRetriedWhenItResets() {
        github.failNext(Route.SEARCH, FakeGitHub.message(403, "API rate limit exceeded")
                .withHeader("x-ratelimit-remaining", "0")
                .withHeader("x-ratelimit-reset", String.valueOf(Instant.now().getEpochSecond() + 1)));

        Delivery delivery = harness.deliver("run_test_failure", settings(FakeGitHub.TOKEN), json(TEST_FAILURE));

        assertThat(delivery.status()).as(delivery.result().toString()).isEqualTo("delivered");
        assertThat(github.calls()).containsExactly("GET /search/issues", "GET /search/issues",
                "POST /repos/octocat/hello-world/issues");
    }

    @Test
    void secondaryRateLimitLongerThanTheDeadlineIsQueuedAtOnceWithoutHammeringGitHub() {
        github.failNext(Route.SEARCH, FakeGitHub.message(403,
                "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."));

        Delivery delivery = harness.deliver("run_test_failure", settings(FakeGitHub.TOKEN), json(TEST_FAILURE));

        // Transient: the host keeps it for its retry schedule, which the rate limit's wait fits in.
        assertThat(delivery.status()).isEqualTo("queued");
        assertThat(delivery.type()).contains("delivery_failed");
        assertThat(delivery.responseCode()).hasValue(403);
        assertThat(github.calls()).containsExactly("GET /search/issues");
    }


    @Test
    void oversizedFeedbackKeepsIssueAndCommentWithinGitHubsLimit() {
        JsonObject payload = SamplePayloads.oversized("run_test_failure");

        Delivery created = harness.deliver("run_test_failure", settings(FakeGitHub.TOKEN), payload);
        Delivery commented = harness.deliver("run_test_failure", settings(FakeGitHub.TOKEN), payload);

        assertThat(created.status()).as(created.result().toString()).isEqualTo("delivered");
        assertThat(commented.status()).as(commented.result().toString()).isEqualTo("delivered");
        JsonObject issue = github.created().getFirst();
        List<String> comments = commented.requests().stream().filter(request -> request.path().endsWith("/comments"))
                .map(request -> request.json().getString("body")).toList();
        assertThat(comments).hasSize(1);
        for (String text : List.of(issue.getString("body"), comments.getFirst())) {
            assertThat(text.length()).isLessThanOrEqualTo(65_536);
            // Java writes a lone surrogate as '?', which the oversized payload never contains.
            assertThat(text).doesNotContain("?");
        }
        assertThat(issue.getString("title").length()).isLessThanOrEqualTo(256);
        assertThat(issue.getString("title")).doesNotContain("?");
    }

    private static Map<String, String> settings(String token) {
        return Map.of("repository", REPOSITORY, "token", token);
    }
}
