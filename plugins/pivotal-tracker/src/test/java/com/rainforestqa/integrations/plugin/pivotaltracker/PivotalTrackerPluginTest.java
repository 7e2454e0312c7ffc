package com.rainforestqa.integrations.plugin.pivotaltracker;

import static org.assertj.core.api.Assertions.assertThat;

import com.rainforestqa.integrations.host.IntegrationsHost;
import com.rainforestqa.integrations.host.config.HostConfig;
import com.rainforestqa.integrations.testkit.FakeTarget;
import com.rainforestqa.integrations.testkit.HostClient;
import com.rainforestqa.integrations.testkit.PluginJars;
import com.rainforestqa.integrations.testkit.RecordedRequest;
import com.rainforestqa.integrations.testkit.Reply;

import io.helidon.webserver.WebServer;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Pivotal Tracker plugin as the host runs it: packed into a jar in a plugins directory, loaded in its own class
 * loader, its deprecated schema served by {@code GET /integrations}, and signed events delivered to a fake Tracker
 * named by {@code plugins.pivotal_tracker.api-url}.
 */
class PivotalTrackerPluginTest {
    private static final String SIGNING_KEY = "tracker-test-key";
    private static final String TOKEN = "very-secret-tracker-token";

    @TempDir
    static Path home;

    private static FakeTarget tracker;
    private static IntegrationsHost host;
    private static WebServer server;
    private static HostClient client;

    @BeforeAll
    static void start() {
        PluginJars.pack(Path.of("target", "classes"), home.resolve("plugins").resolve("pivotal-tracker.jar"));
        tracker = FakeTarget.start();
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
                plugins:
                  pivotal_tracker:
                    api-url: %s
                    allowed-hosts: [127.0.0.1]
                """.formatted(SIGNING_KEY, tracker.uri("/services/v5"))), home);
        server = WebServer.builder().port(0).host("127.0.0.1").routing(host::routing).build().start();
        client = new HostClient(server.port(), SIGNING_KEY);
    }

    @AfterAll
    static void stop() {
        server.stop();
        host.close();
        tracker.close();
    }

    @BeforeEach
    void reset() {
        tracker.reset();
    }

    @Test
    void deprecatedSchemaIsServedFromThePluginJar() {
        HostClient.Answer answer = client.get("/integrations/pivotal_tracker");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json()).isEqualTo(json("""
                {"key": "pivotal_tracker", "title": "Pivotal Tracker", "deprecated": true,
                 "deprecation_note": "Pivotal Tracker was shut down on 30 April 2025; stories can only be filed on a server that still offers its API.",
                 "events": ["run_test_failure", "webhook_timeout"],
                 "settings": [{"key": "project_id", "title": "Project ID", "required": true},
                              {"key": "api_token", "title": "API token", "required": true, "secret": true}]}"""));
        assertThat(host.plugins().find("pivotal_tracker").orElseThrow().classLoader())
                .isNotSameAs(PivotalTrackerPluginTest.class.getClassLoader());
    }

    @Test
    void failedTestIsFiledThroughTheHost() {
        tracker.enqueue(PivotalTrackerIntegrationTest.search(), Reply.json(200, "{\"id\": 555}"),
                Reply.json(200, "{\"id\": 1}"));

        HostClient.Answer answer = client.postEvent(event("run_test_failure", "99"));

        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        List<RecordedRequest> requests = tracker.requests();
        assertThat(requests).extracting(request -> request.method() + " " + request.path()).containsExactly(
                "GET /services/v5/projects/99/search",
                "POST /services/v5/projects/99/stories",
                "POST /services/v5/projects/99/stories/555/comments");
        assertThat(requests).allSatisfy(request -> assertThat(request.header("x-trackertoken")).contains(TOKEN));
        assertThat(requests.get(1).json().getString("story_type")).isEqualTo("bug");
        assertThat(requests.get(2).json().getString("text")).isEqualTo("Environment: QA");
    }

    @Test
    void integrationTestUpdatesTheOpenStoryThroughTheHost() {
        tracker.enqueue(PivotalTrackerIntegrationTest.search(
                "{\"id\": 42, \"current_state\": \"started\", \"labels\": [{\"name\": \"integration test\"}]}"),
                Reply.json(200, "{\"id\": 42}"));

        HostClient.Answer answer = client.postEvent(event("integration_test", "99"));

        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        assertThat(tracker.requests()).extracting(request -> request.method() + " " + request.path())
                .containsExactly("GET /services/v5/projects/99/search", "PUT /services/v5/projects/99/stories/42");
    }

    @ParameterizedTest
    @ValueSource(strings = {"run_completion", "run_error"})
    void runEventsAreSkipped(String type) {
        HostClient.Answer answer = client.postEvent(event(type, "99"));

        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        assertThat(answer.json().asJsonObject().getJsonArray("results").getJsonObject(0).getString("status"))
                .isEqualTo("skipped");
        assertThat(tracker.requests()).isEmpty();
    }

    @Test
    void refusedTokenIsAUserConfigurationErrorThatNeverShowsTheToken() {
        tracker.enqueue(Reply.json(403, "{\"kind\": \"error\", \"code\": \"invalid_authentication\", "
                + "\"error\": \"Invalid authentication credentials were presented: " + TOKEN + "\"}"));

        HostClient.Answer answer = client.postEvent(event("webhook_timeout", "99"));

        assertThat(answer.status()).isEqualTo(400);
        JsonObject body = answer.json().asJsonObject();
        assertThat(body.getString("type")).isEqualTo("user_configuration_error");
        assertThat(body.getInt("failed_response_code")).isEqualTo(403);
        assertThat(answer.body()).doesNotContain(TOKEN);
    }

    private static String event(String type, String projectId) {
        return """
                {"event_type": "%s",
                 "integrations": [{"key": "pivotal_tracker", "settings": {"project_id": "%s", "api_token": "%s"}}],
                 "payload": {"frontend_url": "https://app.rainforestqa.com/runs/7",
                   "run": {"id": 7, "description": "Nightly", "environment": {"name": "QA"}, "result": "failed",
                           "error_reason": "x", "time_taken": 1503, "total_tests": 4, "total_passed_tests": 3,
                           "total_failed_tests": 1, "total_no_result_tests": 0},
                   "failed_test": {"id": 12, "title": "Login", "frontend_url": "https://app.rainforestqa.com/tests/12"},
                   "browser": {"description": "Chrome"}}}
                """.formatted(type, projectId, TOKEN);
    }

    private static jakarta.json.JsonStructure json(String text) {
        return Json.createReader(new StringReader(text)).read();
    }
}
