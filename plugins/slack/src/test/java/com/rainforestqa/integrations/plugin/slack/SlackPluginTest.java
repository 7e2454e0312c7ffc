package com.rainforestqa.integrations.plugin.slack;

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

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Slack plugin as the host runs it: packed into a jar in a plugins directory, loaded in its own class loader,
 * its schema served by {@code GET /integrations}, and signed events delivered to a fake Slack over HTTP.
 */
class SlackPluginTest {
    private static final String SIGNING_KEY = "slack-test-key";

    @TempDir
    static Path home;

    private static FakeTarget slack;
    private static IntegrationsHost host;
    private static WebServer server;
    private static HostClient client;

    @BeforeAll
    static void start() {
        PluginJars.pack(Path.of("target", "classes"), home.resolve("plugins").resolve("slack.jar"));
        slack = FakeTarget.start();
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
                  slack:
                    allowed-hosts: [127.0.0.1]
                """.formatted(SIGNING_KEY)), home);
        server = WebServer.builder().port(0).host("127.0.0.1").routing(host::routing).build().start();
        client = new HostClient(server.port(), SIGNING_KEY);
    }

    @AfterAll
    static void stop() {
        server.stop();
        host.close();
        slack.close();
    }

    @BeforeEach
    void reset() {
        slack.reset();
    }

    @Test
    void schemaIsServedFromThePluginJar() {
        HostClient.Answer answer = client.get("/integrations/slack");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json()).isEqualTo(json("""
                {"key": "slack", "title": "Slack",
                 "events": ["run_completion", "run_error", "webhook_timeout", "run_test_failure"],
                 "settings": [{"key": "url", "title": "Slack webhook URL", "required": true, "secret": true}]}"""));
        assertThat(host.plugins().find("slack").orElseThrow().classLoader())
                .isNotSameAs(SlackPluginTest.class.getClassLoader());
    }

    @ParameterizedTest
    @ValueSource(strings = {"run_completion", "run_error", "webhook_timeout", "run_test_failure", "integration_test"})
    void everyEventArrivesAsAnAttachment(String eventType) {
        HostClient.Answer answer = client.postEvent(event(eventType, slack.uri("/services/T1/B2/abc").toString()));

        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        RecordedRequest received = slack.onlyRequest();
        assertThat(received.path()).isEqualTo("/services/T1/B2/abc");
        assertThat(received.header("content-type")).contains("application/json");
        JsonObject attachment = received.json().getJsonArray("attachments").getJsonObject(0);
        assertThat(attachment.getString("color")).isIn("good", "danger");
        assertThat(attachment.getString("fallback")).isNotBlank().doesNotContain("<http");
    }

    @Test
    void slackRejectingTheWebhookIsAUserConfigurationErrorThatNeverShowsTheUrl() {
        slack.setDefaultReply(Reply.slackError(404, "no_service"));
        String url = slack.uri("/services/T1/B2/very-secret-token").toString();

        HostClient.Answer answer = client.postEvent(event("run_error", url));

        assertThat(answer.status()).isEqualTo(400);
        JsonObject body = answer.json().asJsonObject();
        assertThat(body.getString("type")).isEqualTo("user_configuration_error");
        assertThat(body.getInt("failed_response_code")).isEqualTo(404);
        assertThat(body.getString("failed_response_body")).isEqualTo("no_service");
        assertThat(answer.body()).doesNotContain("very-secret-token");
    }

    @Test
    void hostsOtherThanSlacksAreRefused() {
        HostClient.Answer answer = client.postEvent(event("run_error", "https://example.com/services/T1/B2/abc"));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().asJsonObject().getString("type")).isEqualTo("user_configuration_error");
        assertThat(answer.json().asJsonObject().getString("error"))
                .isEqualTo("slack: setting \"url\": the URL's host example.com is not one slack may reach (allowed: 127.0.0.1, "
                        + "hooks.slack.com)");
    }

    private static String event(String type, String url) {
        return """
                {"event_type": "%s", "event_id": "evt-1",
                 "integrations": [{"key": "slack", "settings": {"url": "%s"}}],
                 "payload": {"frontend_url": "https://app.rainforestqa.com/runs/7",
                   "run": {"id": 7, "description": "Nightly", "environment": {"name": "QA"}, "result": "failed",
                           "error_reason": "", "time_taken": 1503, "total_tests": 4, "total_passed_tests": 3,
                           "total_failed_tests": 1, "total_no_result_tests": 0},
                   "failed_test": {"id": 12, "title": "Login", "frontend_url": "https://app.rainforestqa.com/tests/12"},
                   "browser": {"description": "Chrome"},
                   "feedback": [{"worker_name": "Ann", "note": "button missing"}]}}
                """.formatted(type, url);
    }

    private static jakarta.json.JsonStructure json(String text) {
        return Json.createReader(new StringReader(text)).read();
    }
}
