package com.rainforestqa.integrations.plugin.discord;

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
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Discord plugin as the host runs it: packed into a jar in a plugins directory, loaded in its own class loader,
 * its schema served by {@code GET /integrations}, and signed events delivered to a fake Discord over HTTP, with the
 * host's retries honouring Discord's {@code retry_after}.
 */
class DiscordPluginTest {
    private static final String SIGNING_KEY = "discord-test-key";
    private static final String TOKEN = "very-secret-webhook-token";
    /** One id per event: the host drops a repeated event_id it has delivered before. */
    private static final AtomicInteger EVENT_IDS = new AtomicInteger();

    @TempDir
    static Path home;

    private static FakeTarget discord;
    private static IntegrationsHost host;
    private static WebServer server;
    private static HostClient client;

    @BeforeAll
    static void start() {
        PluginJars.pack(Path.of("target", "classes"), home.resolve("plugins").resolve("discord.jar"));
        discord = FakeTarget.start();
        host = IntegrationsHost.create(HostConfig.fromYaml("""
                server:
                  port: 0
                  host: 127.0.0.1
                integrations:
                  outbound:
                    allow-private-addresses: true
                  signing-key: %s
                  plugins:
                    strict: true
                plugins:
                  discord:
                    allowed-hosts: [127.0.0.1]
                """.formatted(SIGNING_KEY)), home);
        server = WebServer.builder().port(0).host("127.0.0.1").routing(host::routing).build().start();
        client = new HostClient(server.port(), SIGNING_KEY);
    }

    @AfterAll
    static void stop() {
        server.stop();
        host.close();
        discord.close();
    }

    @BeforeEach
    void reset() {
        discord.reset();
        discord.setDefaultReply(Reply.json(200, "{\"id\": \"1\", \"type\": 0}"));
    }

    @Test
    void schemaIsServedFromThePluginJar() {
        HostClient.Answer answer = client.get("/integrations/discord");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json()).isEqualTo(json("""
                {"key": "discord", "title": "Discord",
                 "events": ["run_completion", "run_error", "webhook_timeout", "run_test_failure"],
                 "settings": [{"key": "url", "title": "Discord webhook URL", "required": true, "secret": true}]}"""));
        assertThat(host.plugins().find("discord").orElseThrow().classLoader())
                .isNotSameAs(DiscordPluginTest.class.getClassLoader());
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
        HostClient.Answer answer = client.postEvent(event(eventType, webhook("?thread_id=5")));

        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        RecordedRequest received = discord.onlyRequest();
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
        discord.enqueue(Reply.json(429, "{\"message\": \"You are being rate limited.\", \"retry_after\": 0.8, "
                + "\"global\": false}"));

        HostClient.Answer answer = client.postEvent(event("run_error", webhook("")));

        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        List<RecordedRequest> attempts = discord.requests();
        assertThat(attempts).hasSize(2);
        assertThat(Duration.between(attempts.get(0).receivedAt(), attempts.get(1).receivedAt()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(800));
        // The same message again; only the embed's timestamp, the time of sending, may differ.
        assertThat(withoutTimestamp(attempts.get(1).body())).isEqualTo(withoutTimestamp(attempts.get(0).body()));
    }

    @Test
    void deletedWebhookIsAUserConfigurationErrorThatNeverShowsTheToken() {
        discord.setDefaultReply(Reply.json(404, "{\"message\": \"Unknown Webhook\", \"code\": 10015}"));

        HostClient.Answer answer = client.postEvent(event("run_error", webhook("")));

        assertThat(answer.status()).isEqualTo(400);
        JsonObject body = answer.json().asJsonObject();
        assertThat(body.getString("type")).isEqualTo("user_configuration_error");
        assertThat(body.getInt("failed_response_code")).isEqualTo(404);
        assertThat(body.getString("failed_response_body"))
                .isEqualTo("{\"message\": \"Unknown Webhook\", \"code\": 10015}");
        assertThat(answer.body()).doesNotContain(TOKEN);
        // Discord asks clients to stop using a webhook that answers 404: no retry.
        assertThat(discord.requests()).hasSize(1);
    }

    @Test
    void hostsOtherThanDiscordsAreRefused() {
        HostClient.Answer answer = client.postEvent(event("run_error", "https://example.com/api/webhooks/1/" + TOKEN));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().asJsonObject().getString("type")).isEqualTo("user_configuration_error");
        assertThat(answer.json().asJsonObject().getString("error"))
                .isEqualTo("discord: setting \"url\": the URL's host example.com is not one discord may reach (allowed: 127.0.0.1, "
                        + "canary.discord.com, discord.com, discordapp.com, ptb.discord.com)");
        assertThat(answer.body()).doesNotContain(TOKEN);
    }

    private static String withoutTimestamp(String body) {
        return body.replaceAll("\"timestamp\":\"[^\"]*\"", "");
    }

    private static String webhook(String query) {
        return discord.uri("/api/webhooks/1/" + TOKEN + query).toString();
    }

    private static String event(String type, String url) {
        return """
                {"event_type": "%s", "event_id": "evt-%d",
                 "integrations": [{"key": "discord", "settings": {"url": "%s"}}],
                 "payload": {"frontend_url": "https://app.rainforestqa.com/runs/7",
                   "run": {"id": 7, "description": "Nightly", "environment": {"name": "QA"}, "result": "failed",
                           "error_reason": "", "time_taken": 1503, "total_tests": 4, "total_passed_tests": 3,
                           "total_failed_tests": 1, "total_no_result_tests": 0},
                   "failed_test": {"id": 12, "title": "Login", "frontend_url": "https://app.rainforestqa.com/tests/12"},
                   "browser": {"description": "Chrome"},
                   "feedback": [{"worker_name": "Ann", "note": "button missing"}]}}
                """.formatted(type, EVENT_IDS.incrementAndGet(), url);
    }

    private static jakarta.json.JsonStructure json(String text) {
        return Json.createReader(new StringReader(text)).read();
    }
}
