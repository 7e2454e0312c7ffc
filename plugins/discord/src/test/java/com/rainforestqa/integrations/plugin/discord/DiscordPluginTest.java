package com.rainforestqa.integrations.plugin.discord;

import static org.assertj.core.api.Assertions.assertThat;

import com.rainforestqa.integrations.testkit.RecordedRequest;
import com.rainforestqa.integrations.testkit.Reply;
import com.rainforestqa.integrations.testkit.SamplePayloads;
import com.rainforestqa.integrations.testkit.harness.Delivery;
import com.rainforestqa.integrations.testkit.harness.PluginHarness;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import java.io.StringReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Discord plugin as the host runs it, through the test kit's harness: packed into a jar in a plugins directory,
 * loaded in its own class loader, its schema checked, and events delivered to a fake Discord over HTTP, with the
 * host's retries honouring Discord's {@code retry_after}.
 */
class DiscordPluginTest {
    private static final String TOKEN = "very-secret-webhook-token";
    /** One id per event: the host drops a repeated event_id it has delivered before. */
    private static final AtomicInteger EVENT_IDS = new AtomicInteger();

    private static PluginHarness harness;

    @BeforeAll
    static void start() {
        harness = PluginHarness.forClasses(Path.of("target", "classes"));
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    @BeforeEach
    void reset() {
        harness.target().reset();
        harness.target().setDefaultReply(Reply.json(200, "{\"id\": \"1\", \"type\": 0}"));
    }

    @Test
    void schemaIsServedFromThePluginJarAndHasNoProblems() {
        assertThat(harness.keys()).containsExactly("discord");
        assertThat(harness.problems()).isEmpty();
        assertThat(harness.schema("discord")).isEqualTo(json("""
                {"key": "discord", "title": "Discord",
                 "events": ["run_completion", "run_error", "webhook_timeout", "run_test_failure"],
                 "settings": [{"key": "url", "title": "Discord webhook URL", "required": true, "secret": true}]}"""));
        assertThat(harness.classLoader("discord")).isNotSameAs(DiscordPluginTest.class.getClassLoader());
    }

    @ParameterizedTest
    @CsvSource(textBlock = """
            run_completion,   Run #7 (Nightly) failed,             15158332
            run_error,        Run #7 (Nightly) errored,            15158332
            webhook_timeout,  Run #7 (Nightly) timed out,          15158332
            run_test_failure, Run #7 (Nightly) has a failed test,  15158332
            integration_test, Rainforest is connected,             3066993
            """)
    void everyEventArrivesAsOneEmbed(String eventType, String title, int color) {
        Delivery delivery = harness.deliver(event(eventType, webhook("?thread_id=5")));

        assertThat(delivery.status()).as(delivery.result().toString()).isEqualTo("delivered");
        RecordedRequest received = delivery.onlyRequest();
        assertThat(received.path()).isEqualTo("/api/webhooks/1/" + TOKEN);
        // The host may reorder the query; Discord reads parameters by name.
        assertThat(received.query().split("&")).containsExactlyInAnyOrder("thread_id=5", "wait=true");
        List<JsonObject> embeds = received.json().getJsonArray("embeds").getValuesAs(JsonObject.class);
        assertThat(embeds).hasSize(1);
        assertThat(embeds.getFirst().getString("title")).isEqualTo(title);
        assertThat(embeds.getFirst().getInt("color")).isEqualTo(color);
    }

    @Test
    void rateLimitIsRetriedAfterDiscordsRetryAfter() {
        harness.target().enqueue(Reply.json(429, "{\"message\": \"You are being rate limited.\", \"retry_after\": 0.8, "
                + "\"global\": false}"));

        Delivery delivery = harness.deliver(event("run_error", webhook("")));

        assertThat(delivery.status()).as(delivery.result().toString()).isEqualTo("delivered");
        List<RecordedRequest> attempts = delivery.requests();
        assertThat(attempts).hasSize(2);
        assertThat(Duration.between(attempts.get(0).receivedAt(), attempts.get(1).receivedAt()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(800));
        // The same message again; only the embed's timestamp, the time of sending, may differ.
        assertThat(withoutTimestamp(attempts.get(1).body())).isEqualTo(withoutTimestamp(attempts.get(0).body()));
    }

    @Test
    void deletedWebhookIsAUserConfigurationErrorThatNeverShowsTheToken() {
        harness.target().setDefaultReply(Reply.json(404, "{\"message\": \"Unknown Webhook\", \"code\": 10015}"));

        Delivery delivery = harness.deliver(event("run_error", webhook("")));

        assertThat(delivery.status()).isEqualTo("failed");
        assertThat(delivery.type()).contains("user_configuration_error");
        assertThat(delivery.responseCode()).hasValue(404);
        assertThat(delivery.responseBody()).contains("{\"message\": \"Unknown Webhook\", \"code\": 10015}");
        assertThat(delivery.result().toString()).doesNotContain(TOKEN);
        // Discord asks clients to stop using a webhook that answers 404: no retry.
        assertThat(delivery.requests()).hasSize(1);
    }

    @Test
    void hostsOtherThanDiscordsAreRefused() {
        Delivery delivery = harness.deliver(event("run_error", "https://example.com/api/webhooks/1/" + TOKEN));

        assertThat(delivery.status()).isEqualTo("failed");
        assertThat(delivery.type()).contains("user_configuration_error");
        assertThat(delivery.message()).contains("setting \"url\": the URL's host example.com is not one discord may "
                + "reach (allowed: 127.0.0.1, canary.discord.com, discord.com, discordapp.com, localhost, "
                + "ptb.discord.com)");
        assertThat(delivery.result().toString()).doesNotContain(TOKEN);
        assertThat(delivery.requests()).isEmpty();
    }


    @Test
    void oversizedFeedbackKeepsTheEmbedWithinDiscordsLimits() {
        Delivery delivery = harness.deliver(Json.createObjectBuilder(event("run_test_failure", webhook("")))
                .add("payload", SamplePayloads.oversized("run_test_failure")).build());

        assertThat(delivery.status()).as(delivery.result().toString()).isEqualTo("delivered");
        JsonObject embed = delivery.onlyRequest().json().getJsonArray("embeds").getJsonObject(0);
        int total = embed.getString("title", "").length() + embed.getString("description", "").length();
        for (JsonObject field : embed.getJsonArray("fields").getValuesAs(JsonObject.class)) {
            assertThat(field.getString("name").length()).isLessThanOrEqualTo(256);
            assertThat(field.getString("value").length()).isLessThanOrEqualTo(1024);
            total += field.getString("name").length() + field.getString("value").length();
        }
        assertThat(embed.getJsonArray("fields")).hasSizeLessThanOrEqualTo(25);
        assertThat(embed.getString("title").length()).isLessThanOrEqualTo(256);
        assertThat(total).isLessThanOrEqualTo(6000);
        // Java writes a lone surrogate as '?', which the oversized payload never contains.
        assertThat(delivery.onlyRequest().body()).doesNotContain("?");
    }

    private static String withoutTimestamp(String body) {
        return body.replaceAll("\"timestamp\":\"[^\"]*\"", "");
    }

    private static String webhook(String query) {
        return harness.target().uri("/api/webhooks/1/" + TOKEN + query).toString();
    }

    private static JsonObject event(String type, String url) {
        return json("""
                {"event_type": "%s", "event_id": "evt-%d",
                 "integrations": [{"key": "discord", "settings": {"url": "%s"}}],
                 "payload": {"frontend_url": "https://app.rainforestqa.com/runs/7",
                   "run": {"id": 7, "description": "Nightly", "environment": {"name": "QA"}, "result": "failed",
                           "error_reason": "", "time_taken": 1503, "total_tests": 4, "total_passed_tests": 3,
                           "total_failed_tests": 1, "total_no_result_tests": 0},
                   "failed_test": {"id": 12, "title": "Login", "frontend_url": "https://app.rainforestqa.com/tests/12"},
                   "browser": {"description": "Chrome"},
                   "feedback": [{"worker_name": "Ann", "note": "button missing"}]}}
                """.formatted(type, EVENT_IDS.incrementAndGet(), url)).asJsonObject();
    }

    private static jakarta.json.JsonStructure json(String text) {
        return Json.createReader(new StringReader(text)).read();
    }
}
