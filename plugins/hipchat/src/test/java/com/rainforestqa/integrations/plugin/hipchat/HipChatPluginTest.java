package com.rainforestqa.integrations.plugin.hipchat;

import static org.assertj.core.api.Assertions.assertThat;

import com.rainforestqa.integrations.testkit.FakeTarget;
import com.rainforestqa.integrations.testkit.RecordedRequest;
import com.rainforestqa.integrations.testkit.Reply;
import com.rainforestqa.integrations.testkit.harness.Delivery;
import com.rainforestqa.integrations.testkit.harness.PluginHarness;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import java.io.StringReader;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The HipChat plugin as the host runs it, through the test kit's harness: packed into a jar in a plugins directory,
 * loaded in its own class loader, its deprecated schema checked, and events delivered by the host to a fake HipChat
 * server named by {@code plugins.hip_chat.api-url}, under a base path.
 */
class HipChatPluginTest {
    private static final String TOKEN = "very-secret-room-token";

    private static PluginHarness harness;
    private static FakeTarget hipchat;

    @BeforeAll
    static void start() {
        harness = PluginHarness.builder().classes(Path.of("target", "classes")).apiPath("/hipchat").start();
        hipchat = harness.target();
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    @BeforeEach
    void reset() {
        hipchat.reset();
        hipchat.setDefaultReply(Reply.status(204));
    }

    @Test
    void deprecatedSchemaIsServedFromThePluginJar() {
        assertThat(harness.keys()).containsExactly("hip_chat");
        assertThat(harness.problems()).isEmpty();
        assertThat(harness.schema("hip_chat")).isEqualTo(json("""
                {"key": "hip_chat", "title": "HipChat", "deprecated": true,
                 "deprecation_note": "HipChat Cloud was shut down in February 2019; only a self-hosted HipChat Server or Data Center can still receive notifications.",
                 "events": ["run_completion", "run_error", "webhook_timeout", "run_test_failure"],
                 "settings": [{"key": "room_id", "title": "Room ID or name", "required": true},
                              {"key": "room_token", "title": "Room notification token", "required": true,
                               "secret": true}]}"""));
        assertThat(harness.classLoader("hip_chat")).isNotSameAs(HipChatPluginTest.class.getClassLoader());
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
        Delivery delivery = harness.deliver(event(eventType, "QA Team"));

        assertThat(delivery.status()).as(delivery.result().toString()).isEqualTo("delivered");
        RecordedRequest received = delivery.onlyRequest();
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

        Delivery delivery = harness.deliver(event("run_error", "1234"));

        assertThat(delivery.status()).isEqualTo("failed");
        assertThat(delivery.type()).contains("user_configuration_error");
        assertThat(delivery.responseCode()).hasValue(401);
        assertThat(delivery.result().toString()).doesNotContain(TOKEN);
    }

    // Settings in the list form, [{"key", "value"}], the other shape Rainforest sends besides an object.
    private static JsonObject event(String type, String roomId) {
        return json("""
                {"event_type": "%s", "event_id": "evt-1",
                 "integrations": [{"key": "hip_chat", "settings": [{"key": "room_id", "value": "%s"},
                                                                    {"key": "room_token", "value": "%s"}]}],
                 "payload": {"frontend_url": "https://app.rainforestqa.com/runs/7",
                   "run": {"id": 7, "description": "Nightly", "environment": {"name": "QA"}, "result": "failed",
                           "error_reason": "No tests", "time_taken": 1503, "total_tests": 4, "total_passed_tests": 3,
                           "total_failed_tests": 1, "total_no_result_tests": 0},
                   "failed_test": {"id": 12, "title": "Login", "frontend_url": "https://app.rainforestqa.com/tests/12"},
                   "browser": {"description": "Chrome"}}}
                """.formatted(type, roomId, TOKEN)).asJsonObject();
    }

    private static jakarta.json.JsonStructure json(String text) {
        return Json.createReader(new StringReader(text)).read();
    }
}
