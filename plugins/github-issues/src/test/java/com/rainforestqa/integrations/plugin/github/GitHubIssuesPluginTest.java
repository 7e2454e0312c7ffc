package com.rainforestqa.integrations.plugin.github;

import static com.rainforestqa.integrations.plugin.github.GitHubIssuesIntegrationTest.TEST_FAILURE;
import static com.rainforestqa.integrations.plugin.github.GitHubIssuesIntegrationTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.rainforestqa.integrations.host.IntegrationsHost;
import com.rainforestqa.integrations.host.config.HostConfig;
import com.rainforestqa.integrations.plugin.github.FakeGitHub.Route;
import com.rainforestqa.integrations.testkit.HostClient;
import com.rainforestqa.integrations.testkit.PluginJars;

import io.helidon.webserver.WebServer;

import jakarta.json.JsonObject;

import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GitHub Issues plugin as the host runs it: packed into a jar in a plugins directory, loaded in its own class
 * loader, its schema served by {@code GET /integrations}, and signed events delivered to a fake GitHub named by
 * {@code plugins.github_issues.api-url}, with the host's retries and redaction in the path.
 */
class GitHubIssuesPluginTest {
    private static final String SIGNING_KEY = "github-test-key";

    @TempDir
    static Path home;

    // The host reads the API URL once, at start, so one fake serves every test and is reset before each.
    private static FakeGitHub github;
    private static IntegrationsHost host;
    private static WebServer server;
    private static HostClient client;

    @BeforeAll
    static void start() {
        PluginJars.pack(Path.of("target", "classes"), home.resolve("plugins").resolve("github-issues.jar"));
        github = FakeGitHub.start();
        host = IntegrationsHost.create(HostConfig.fromYaml("""
                server:
                  port: 0
                  host: 127.0.0.1
                integrations:
                  signing-key: %s
                  plugins:
                    strict: true
                  outbound:
                    allow-private-addresses: true
                  delivery:
                    deadline: PT10S
                plugins:
                  github_issues:
                    api-url: %s
                    allowed-hosts: [127.0.0.1]
                """.formatted(SIGNING_KEY, github.baseUrl())), home);
        server = WebServer.builder().port(0).host("127.0.0.1").routing(host::routing).build().start();
        client = new HostClient(server.port(), SIGNING_KEY);
    }

    @AfterAll
    static void stop() {
        server.stop();
        host.close();
        github.close();
    }

    @BeforeEach
    void reset() {
        github.reset();
    }

    @Test
    void schemaIsServedFromThePluginJar() {
        HostClient.Answer answer = client.get("/integrations/github_issues");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json()).isEqualTo(json("""
                {"key": "github_issues", "title": "GitHub Issues",
                 "events": ["run_test_failure", "webhook_timeout"],
                 "settings": [
                   {"key": "repository", "title": "Repository (owner/name)", "required": true},
                   {"key": "token", "title": "Personal access token (Issues read and write)", "required": true,
                    "secret": true},
                   {"key": "labels", "title": "Extra labels (comma-separated)"}]}"""));
        assertThat(host.plugins().find("github_issues").orElseThrow().classLoader())
                .isNotSameAs(GitHubIssuesPluginTest.class.getClassLoader());
    }

    @Test
    void failedTestIsFiledThenCommentedOnThroughTheHost() {
        HostClient.Answer first = client.postEvent(event("run_test_failure", TEST_FAILURE,
                FakeGitHub.TOKEN));
        HostClient.Answer second = client.postEvent(event("run_test_failure", TEST_FAILURE,
                FakeGitHub.TOKEN).replace("evt-1", "evt-2"));

        assertThat(first.status()).as(first.body()).isEqualTo(201);
        assertThat(second.status()).as(second.body()).isEqualTo(201);
        assertThat(first.json().asJsonObject().getJsonArray("results").getJsonObject(0).getString("status"))
                .isEqualTo("delivered");
        assertThat(github.calls()).containsExactly("GET /search/issues", "POST /repos/octocat/hello-world/issues",
                "GET /search/issues", "POST /repos/octocat/hello-world/issues/1/comments");
        assertThat(github.created()).hasSize(1);
        assertThat(github.created().getFirst().getJsonArray("labels").getString(0)).isEqualTo("rainforest-test-12");
        assertThat(github.comments(1)).hasSize(1);
    }

    @Test
    void eventsGitHubDoesNotHandleAreSkippedWithoutContactingIt() {
        HostClient.Answer answer = client.postEvent(event("run_completion", TEST_FAILURE, FakeGitHub.TOKEN));

        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        assertThat(answer.json().asJsonObject().getJsonArray("results").getJsonObject(0).getString("status"))
                .isEqualTo("skipped");
        assertThat(github.calls()).isEmpty();
    }

    @Test
    void rejectedTokenIsAUserConfigurationErrorThatNeverShowsTheToken() {
        HostClient.Answer answer = client.postEvent(event("run_test_failure", TEST_FAILURE, "ghp_wrong_token_000"));

        assertThat(answer.status()).isEqualTo(400);
        JsonObject body = answer.json().asJsonObject();
        assertThat(body.getString("type")).isEqualTo("user_configuration_error");
        assertThat(body.getString("error")).isEqualTo("github_issues: GitHub answered 401 to the issue search: bad "
                + "credentials; the token is wrong, expired or revoked: check setting \"token\"");
        assertThat(body.getJsonArray("results").getJsonObject(0).getInt("failed_response_code")).isEqualTo(401);
        assertThat(answer.body()).doesNotContain("ghp_wrong_token_000");
        assertThat(github.calls()).containsExactly("GET /search/issues");
    }

    @Test
    void missingTokenIsRefusedBeforeAnythingIsSent() {
        HostClient.Answer answer = client.postEvent("""
                {"event_type": "integration_test", "event_id": "evt-2",
                 "integrations": [{"key": "github_issues", "settings": {"repository": "octocat/hello-world"}}],
                 "payload": {}}
                """);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().asJsonObject().getString("type")).isEqualTo("misconfigured_integration");
        assertThat(github.calls()).isEmpty();
    }

    @Test
    void repositoryThatIsNotOwnerSlashNameIsAUserConfigurationErrorBeforeAnythingIsSent() {
        HostClient.Answer answer = client.postEvent(event("integration_test", "{}", FakeGitHub.TOKEN)
                .replace("octocat/hello-world", "https://github.com/octocat/hello-world"));

        assertThat(answer.status()).isEqualTo(400);
        JsonObject body = answer.json().asJsonObject();
        assertThat(body.getString("type")).isEqualTo("user_configuration_error");
        assertThat(body.getString("error")).startsWith("github_issues: setting \"repository\" must be ");
        assertThat(github.calls()).isEmpty();
    }

    @Test
    void primaryRateLimitIsRetriedWhenItResets() {
        github.failNext(Route.SEARCH, FakeGitHub.message(403, "API rate limit exceeded")
                .withHeader("x-ratelimit-remaining", "0")
                .withHeader("x-ratelimit-reset", String.valueOf(Instant.now().getEpochSecond() + 1)));

        HostClient.Answer answer = client.postEvent(event("run_test_failure", TEST_FAILURE,
                FakeGitHub.TOKEN));

        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        assertThat(github.calls()).containsExactly("GET /search/issues", "GET /search/issues",
                "POST /repos/octocat/hello-world/issues");
    }

    @Test
    void secondaryRateLimitLongerThanTheDeadlineFailsAtOnceWithoutHammeringGitHub() {
        github.failNext(Route.SEARCH, FakeGitHub.message(403,
                "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."));

        HostClient.Answer answer = client.postEvent(event("run_test_failure", TEST_FAILURE,
                FakeGitHub.TOKEN));

        assertThat(answer.status()).isEqualTo(400);
        JsonObject body = answer.json().asJsonObject();
        assertThat(body.getString("type")).isEqualTo("delivery_failed");
        assertThat(body.getJsonArray("results").getJsonObject(0).getInt("failed_response_code")).isEqualTo(403);
        assertThat(github.calls()).containsExactly("GET /search/issues");
    }


    private static String event(String type, String payload, String token) {
        return """
                {"event_type": "%s", "event_id": "evt-1",
                 "integrations": [{"key": "github_issues",
                                   "settings": {"repository": "octocat/hello-world", "token": "%s"}}],
                 "payload": %s}
                """.formatted(type, token, payload).replace("evt-1", "evt-" + UUID.randomUUID());
    }
}
