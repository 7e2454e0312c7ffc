package com.rainforestqa.integrations.plugin.pivotaltracker;

import static org.assertj.core.api.Assertions.assertThat;

import com.rainforestqa.integrations.testkit.FakeTarget;
import com.rainforestqa.integrations.testkit.RecordedRequest;
import com.rainforestqa.integrations.testkit.Reply;
import com.rainforestqa.integrations.testkit.harness.Delivery;
import com.rainforestqa.integrations.testkit.harness.PluginHarness;

import jakarta.json.Json;

import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Pivotal Tracker plugin as the host runs it, through the test kit's harness: packed into a jar in a plugins
 * directory, loaded in its own class loader, its deprecated schema checked, and events delivered by the host to a fake
 * Tracker named by {@code plugins.pivotal_tracker.api-url}, under the API's base path.
 */
class PivotalTrackerPluginTest {
    private static final String TOKEN = "very-secret-tracker-token";
    private static final String PAYLOAD = """
            {"frontend_url": "https://app.rainforestqa.com/runs/7",
             "run": {"id": 7, "description": "Nightly", "environment": {"name": "QA"}, "result": "failed",
                     "error_reason": "x", "time_taken": 1503, "total_tests": 4, "total_passed_tests": 3,
                     "total_failed_tests": 1, "total_no_result_tests": 0},
             "failed_test": {"id": 12, "title": "Login", "frontend_url": "https://app.rainforestqa.com/tests/12"},
             "browser": {"description": "Chrome"}}""";

    private static PluginHarness harness;
    private static FakeTarget tracker;

    @BeforeAll
    static void start() {
        harness = PluginHarness.builder().classes(Path.of("target", "classes")).apiPath("/services/v5").start();
        tracker = harness.target();
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    @BeforeEach
    void reset() {
        tracker.reset();
    }

    @Test
    void deprecatedSchemaIsServedFromThePluginJar() {
        assertThat(harness.keys()).containsExactly("pivotal_tracker");
        assertThat(harness.problems()).isEmpty();
        assertThat(harness.schema("pivotal_tracker")).isEqualTo(json("""
                {"key": "pivotal_tracker", "title": "Pivotal Tracker", "deprecated": true,
                 "deprecation_note": "Pivotal Tracker was shut down on 30 April 2025; stories can only be filed on a server that still offers its API.",
                 "events": ["run_test_failure", "webhook_timeout"],
                 "settings": [{"key": "project_id", "title": "Project ID", "required": true},
                              {"key": "api_token", "title": "API token", "required": true, "secret": true}]}"""));
        assertThat(harness.classLoader("pivotal_tracker")).isNotSameAs(PivotalTrackerPluginTest.class.getClassLoader());
    }

    @Test
    void failedTestIsFiledThroughTheHost() {
        tracker.enqueue(PivotalTrackerIntegrationTest.search(), Reply.json(200, "{\"id\": 555}"),
                Reply.json(200, "{\"id\": 1}"));

        Delivery delivery = deliver("run_test_failure", "99");

        assertThat(delivery.status()).as(delivery.result().toString()).isEqualTo("delivered");
        List<RecordedRequest> requests = delivery.requests();
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

        Delivery delivery = deliver("integration_test", "99");

        assertThat(delivery.status()).as(delivery.result().toString()).isEqualTo("delivered");
        assertThat(delivery.requests()).extracting(request -> request.method() + " " + request.path())
                .containsExactly("GET /services/v5/projects/99/search", "PUT /services/v5/projects/99/stories/42");
    }

    @ParameterizedTest
    @ValueSource(strings = {"run_completion", "run_error"})
    void runEventsAreSkipped(String type) {
        Delivery delivery = deliver(type, "99");

        assertThat(delivery.status()).as(delivery.result().toString()).isEqualTo("skipped");
        assertThat(delivery.requests()).isEmpty();
    }

    @Test
    void refusedTokenIsAUserConfigurationErrorThatNeverShowsTheToken() {
        tracker.enqueue(Reply.json(403, "{\"kind\": \"error\", \"code\": \"invalid_authentication\", "
                + "\"error\": \"Invalid authentication credentials were presented: " + TOKEN + "\"}"));

        Delivery delivery = deliver("webhook_timeout", "99");

        assertThat(delivery.status()).isEqualTo("failed");
        assertThat(delivery.type()).contains("user_configuration_error");
        assertThat(delivery.responseCode()).hasValue(403);
        assertThat(delivery.result().toString()).doesNotContain(TOKEN);
    }

    private static Delivery deliver(String type, String projectId) {
        return harness.deliver(type, Map.of("project_id", projectId, "api_token", TOKEN), json(PAYLOAD).asJsonObject());
    }

    private static jakarta.json.JsonStructure json(String text) {
        return Json.createReader(new StringReader(text)).read();
    }
}
