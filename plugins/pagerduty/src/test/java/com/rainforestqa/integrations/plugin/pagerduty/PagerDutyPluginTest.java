package com.rainforestqa.integrations.plugin.pagerduty;

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
 * The PagerDuty plugin as the host runs it: packed into a jar in a plugins directory, loaded in its own class loader,
 * its schema served by {@code GET /integrations}, and signed events delivered to a fake Events API named by
 * {@code plugins.pagerduty.api-url}.
 */
class PagerDutyPluginTest {
    private static final String SIGNING_KEY = "pagerduty-test-key";
    private static final String ROUTING_KEY = "verysecretroutingkey0123456789ab";
    private static final String ACCEPTED =
            "{\"status\":\"success\",\"message\":\"Event processed\",\"dedup_key\":\"rainforest-run-7\"}";

    @TempDir
    static Path home;

    private static FakeTarget pagerduty;
    private static IntegrationsHost host;
    private static WebServer server;
    private static HostClient client;

    @BeforeAll
    static void start() {
        PluginJars.pack(Path.of("target", "classes"), home.resolve("plugins").resolve("pagerduty.jar"));
        pagerduty = FakeTarget.start();
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
                  pagerduty:
                    api-url: http://127.0.0.1:%d
                    allowed-hosts: [127.0.0.1]
                """.formatted(SIGNING_KEY, pagerduty.port())), home);
        server = WebServer.builder().port(0).host("127.0.0.1").routing(host::routing).build().start();
        client = new HostClient(server.port(), SIGNING_KEY);
    }

    @AfterAll
    static void stop() {
        server.stop();
        host.close();
        pagerduty.close();
    }

    @BeforeEach
    void reset() {
        pagerduty.reset();
        pagerduty.setDefaultReply(Reply.json(202, ACCEPTED));
    }

    @Test
    void schemaIsServedFromThePluginJar() {
        HostClient.Answer answer = client.get("/integrations/pagerduty");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json()).isEqualTo(json("""
                {"key": "pagerduty", "title": "PagerDuty",
                 "events": ["run_completion", "run_error", "webhook_timeout", "run_test_failure"],
                 "settings": [
                   {"key": "routing_key", "title": "Integration key (Events API v2)", "required": true,
                    "secret": true},
                   {"key": "severity", "title": "Alert severity",
                    "options": ["critical", "error", "warning", "info"], "default": "error"}]}"""));
        assertThat(host.plugins().find("pagerduty").orElseThrow().classLoader())
                .isNotSameAs(PagerDutyPluginTest.class.getClassLoader());
    }

    @ParameterizedTest
    @ValueSource(strings = {"run_completion", "run_error", "webhook_timeout", "run_test_failure"})
    void failureEventsArriveAsTriggers(String eventType) {
        HostClient.Answer answer = client.postEvent(event(eventType, "failed", "warning"));

        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        RecordedRequest received = pagerduty.onlyRequest();
        assertThat(received.path()).isEqualTo("/v2/enqueue");
        assertThat(received.header("content-type")).contains("application/json");
        JsonObject body = received.json();
        assertThat(body.getString("routing_key")).isEqualTo(ROUTING_KEY);
        assertThat(body.getString("event_action")).isEqualTo("trigger");
        assertThat(body.getString("dedup_key"))
                .isEqualTo(eventType.equals("run_test_failure") ? "rainforest-test-12" : "rainforest-run-7");
        assertThat(body.getJsonObject("payload").getString("severity")).isEqualTo("warning");
        assertThat(body.getJsonObject("payload").getString("source")).isEqualTo("QA");
    }

    @Test
    void passedRunIsSkipped() {
        HostClient.Answer answer = client.postEvent(event("run_completion", "passed", "error"));

        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        assertThat(answer.json().asJsonObject().getJsonArray("results").getJsonObject(0).getString("status"))
                .isEqualTo("skipped");
        assertThat(pagerduty.requests()).isEmpty();
    }

    @Test
    void integrationTestTriggersAndResolves() {
        HostClient.Answer answer = client.postEvent(event("integration_test", "failed", "error"));

        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        List<RecordedRequest> requests = pagerduty.requests();
        assertThat(requests).extracting(request -> request.json().getString("event_action"))
                .containsExactly("trigger", "resolve");
        assertThat(requests).extracting(request -> request.json().getString("dedup_key"))
                .containsExactly("rainforest-integration-test-evt-1", "rainforest-integration-test-evt-1");
    }

    @Test
    void rejectedRoutingKeyIsAUserConfigurationErrorThatNeverShowsTheKey() {
        String rejection = "{\"status\":\"invalid event\",\"message\":\"Event object is invalid\","
                + "\"errors\":[\"Invalid routing key: " + ROUTING_KEY + "\"]}";
        pagerduty.setDefaultReply(Reply.json(400, rejection));

        HostClient.Answer answer = client.postEvent(event("run_error", "failed", "error"));

        assertThat(answer.status()).isEqualTo(400);
        JsonObject body = answer.json().asJsonObject();
        assertThat(body.getString("type")).isEqualTo("user_configuration_error");
        assertThat(body.getInt("failed_response_code")).isEqualTo(400);
        assertThat(body.getString("failed_response_body")).contains("Invalid routing key");
        assertThat(answer.body()).doesNotContain(ROUTING_KEY);
        assertThat(pagerduty.requests()).hasSize(1);
    }

    @Test
    void unknownSeverityIsAUserConfigurationError() {
        HostClient.Answer answer = client.postEvent(event("run_error", "failed", "urgent"));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().asJsonObject().getString("type")).isEqualTo("user_configuration_error");
        assertThat(pagerduty.requests()).isEmpty();
    }

    @Test
    void missingRoutingKeyIsRefusedBeforeDelivery() {
        HostClient.Answer answer = client.postEvent(event("run_error", "failed", "error")
                .replace("\"routing_key\": \"" + ROUTING_KEY + "\"", "\"routing_key\": \"\""));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().asJsonObject().getString("type")).isEqualTo("misconfigured_integration");
        assertThat(pagerduty.requests()).isEmpty();
    }

    private static String event(String type, String result, String severity) {
        return """
                {"event_type": "%s", "event_id": "evt-1",
                 "integrations": [{"key": "pagerduty",
                   "settings": {"routing_key": "%s", "severity": "%s"}}],
                 "payload": {"frontend_url": "https://app.rainforestqa.com/runs/7",
                   "run": {"id": 7, "description": "Nightly", "environment": {"name": "QA"}, "result": "%s",
                           "error_reason": "", "time_taken": 1503, "total_tests": 4, "total_passed_tests": 3,
                           "total_failed_tests": %d, "total_no_result_tests": 0},
                   "failed_test": {"id": 12, "title": "Login", "frontend_url": "https://app.rainforestqa.com/tests/12"},
                   "browser": {"description": "Chrome"},
                   "feedback": [{"worker_name": "Ann", "note": "button missing"}]}}
                """.formatted(type, ROUTING_KEY, severity, result, result.equals("passed") ? 0 : 1);
    }

    private static jakarta.json.JsonStructure json(String text) {
        return Json.createReader(new StringReader(text)).read();
    }
}
