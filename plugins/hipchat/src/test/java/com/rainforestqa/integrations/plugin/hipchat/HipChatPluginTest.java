package com.rainforestqa.integrations.plugin.hipchat;

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
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The HipChat plugin as the host runs it: packed into a jar in a plugins directory, loaded in its own class loader,
 * its deprecated schema served by {@code GET /integrations}, and signed events delivered to a fake HipChat server
 * named by {@code plugins.hip_chat.api-url}.
 */
class HipChatPluginTest {
    private static final String SIGNING_KEY = "hipchat-test-key";
    private static final String TOKEN = "very-secret-room-token";

    @TempDir
    static Path home;

    private static FakeTarget hipchat;
    private static IntegrationsHost host;
    private static WebServer server;
    private static HostClient client;

    @BeforeAll
    static void start() {
        PluginJars.pack(Path.of("target", "classes"), home.resolve("plugins").resolve("hipchat.jar"));
        hipchat = FakeTarget.start();
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
                  hip_chat:
                    api-url: %s
                    allowed-hosts: [127.0.0.1]
                """.formatted(SIGNING_KEY, hipchat.uri("/hipchat"))), home);
        server = WebServer.builder().port(0).host("127.0.0.1").routing(host::routing).build().start();
        client = new HostClient(server.port(), SIGNING_KEY);
    }

    @AfterAll
    static void stop() {
        server.stop();
        host.close();
        hipchat.close();
    }

    @BeforeEach
    void reset() {
        hipchat.reset();
        hipchat.setDefaultReply(Reply.status(204));
    }

    @Test
    void deprecatedSchemaIsServedFromThePluginJar() {
        HostClient.Answer answer = client.get("/integrations/hip_chat");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json()).isEqualTo(json("""
                {"key": "hip_chat", "title": "HipChat", "deprecated": true,
                 "deprecation_note": "HipChat Cloud was shut down in February 2019; only a self-hosted HipChat Server or Data Center can still receive notifications.",
                 "events": ["run_completion", "run_error", "webhook_timeout", "run_test_failure"],
                 "settings": [{"key": "room_id", "title": "Room ID or name", "required": true},
                              {"key": "room_token", "title": "Room notification token", "required": true,
                               "secret": true}]}"""));
        assertThat(host.plugins().find("hip_chat").orElseThrow().classLoader())
                .isNotSameAs(HipChatPluginTest.class.getClassLoader());
    }

    @ParameterizedTest
    @CsvSource(textBlock = """
            run_completion,   red
            run_error,        red
            webhook_timeout,  red
            run_test_failure, red
            integration_test, green
            """)
    void everyEventArrivesAsARoomNotification(String eventType, String color) {
        HostClient.Answer answer = client.postEvent(event(eventType, "QA Team"));

        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        assertThat(answer.json().asJsonObject().getJsonArray("results").getJsonObject(0).getString("status"))
                .isEqualTo("delivered");
        RecordedRequest received = hipchat.onlyRequest();
        assertThat(received.path()).isEqualTo("/hipchat/v2/room/QA%20Team/notification");
        assertThat(received.header("authorization")).contains("Bearer " + TOKEN);
        assertThat(received.json().getString("color")).isEqualTo(color);
        assertThat(received.json().getString("message_format")).isEqualTo("html");
        assertThat(received.json().getBoolean("notify")).isTrue();
    }

    @Test
    void rejectedTokenIsAUserConfigurationErrorThatNeverShowsTheToken() {
        hipchat.setDefaultReply(Reply.json(401,
                "{\"error\": {\"code\": 401, \"message\": \"Invalid OAuth session: " + TOKEN + "\", \"type\": \"Unauthorized\"}}"));

        HostClient.Answer answer = client.postEvent(event("run_error", "1234"));

        assertThat(answer.status()).isEqualTo(400);
        JsonObject body = answer.json().asJsonObject();
        assertThat(body.getString("type")).isEqualTo("user_configuration_error");
        assertThat(body.getInt("failed_response_code")).isEqualTo(401);
        assertThat(answer.body()).doesNotContain(TOKEN);
    }

    private static String event(String type, String roomId) {
        return """
                {"event_type": "%s", "event_id": "evt-1",
                 "integrations": [{"key": "hip_chat", "settings": [{"key": "room_id", "value": "%s"},
                                                                    {"key": "room_token", "value": "%s"}]}],
                 "payload": {"frontend_url": "https://app.rainforestqa.com/runs/7",
                   "run": {"id": 7, "description": "Nightly", "environment": {"name": "QA"}, "result": "failed",
                           "error_reason": "No tests", "time_taken": 1503, "total_tests": 4, "total_passed_tests": 3,
                           "total_failed_tests": 1, "total_no_result_tests": 0},
                   "failed_test": {"id": 12, "title": "Login", "frontend_url": "https://app.rainforestqa.com/tests/12"},
                   "browser": {"description": "Chrome"}}}
                """.formatted(type, roomId, TOKEN);
    }

    private static jakarta.json.JsonStructure json(String text) {
        return Json.createReader(new StringReader(text)).read();
    }
}
