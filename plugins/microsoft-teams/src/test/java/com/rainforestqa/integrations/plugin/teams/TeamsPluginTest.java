package com.rainforestqa.integrations.plugin.teams;

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
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Microsoft Teams plugin as the host runs it: packed into a jar in a plugins directory, loaded in its own class
 * loader, its schema served by {@code GET /integrations}, and signed events delivered to a fake Workflows webhook
 * over HTTP.
 */
class TeamsPluginTest {
    private static final String SIGNING_KEY = "teams-test-key";
    private static final String WEBHOOK = "/workflows/0a1b/triggers/manual/paths/invoke?sig=very-secret-signature";

    @TempDir
    static Path home;

    private static FakeTarget teams;
    private static IntegrationsHost host;
    private static WebServer server;
    private static HostClient client;

    @BeforeAll
    static void start() {
        PluginJars.pack(Path.of("target", "classes"), home.resolve("plugins").resolve("microsoft-teams.jar"));
        teams = FakeTarget.start();
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
                  microsoft_teams:
                    allowed-hosts: [127.0.0.1]
                """.formatted(SIGNING_KEY)), home);
        server = WebServer.builder().port(0).host("127.0.0.1").routing(host::routing).build().start();
        client = new HostClient(server.port(), SIGNING_KEY);
    }

    @AfterAll
    static void stop() {
        server.stop();
        host.close();
        teams.close();
    }

    @BeforeEach
    void reset() {
        teams.reset();
        teams.setDefaultReply(Reply.status(202));
    }

    @Test
    void schemaIsServedFromThePluginJar() {
        HostClient.Answer answer = client.get("/integrations/microsoft_teams");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json()).isEqualTo(json("""
                {"key": "microsoft_teams", "title": "Microsoft Teams",
                 "events": ["run_completion", "run_error", "webhook_timeout", "run_test_failure"],
                 "settings": [{"key": "url", "title": "Teams Workflows webhook URL", "required": true,
                               "secret": true}]}"""));
        assertThat(host.plugins().find("microsoft_teams").orElseThrow().classLoader())
                .isNotSameAs(TeamsPluginTest.class.getClassLoader());
    }

    @ParameterizedTest
    @ValueSource(strings = {"run_completion", "run_error", "webhook_timeout", "run_test_failure", "integration_test"})
    void everyEventArrivesAsAnAdaptiveCard(String eventType) {
        HostClient.Answer answer = client.postEvent(event(eventType, teams.uri(WEBHOOK).toString()));

        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        assertThat(answer.json().asJsonObject().getJsonArray("results").getJsonObject(0).getString("status"))
                .isEqualTo("delivered");
        RecordedRequest received = teams.onlyRequest();
        assertThat(received.path()).isEqualTo("/workflows/0a1b/triggers/manual/paths/invoke");
        assertThat(received.query()).isEqualTo("sig=very-secret-signature");
        assertThat(received.header("content-type")).contains("application/json");
        JsonObject attachment = received.json().getJsonArray("attachments").getJsonObject(0);
        assertThat(attachment.getString("contentType")).isEqualTo("application/vnd.microsoft.card.adaptive");
        assertThat(attachment.getJsonObject("content").getString("type")).isEqualTo("AdaptiveCard");
    }

    @Test
    void failedRunCardLinksToTheRun() {
        client.postEvent(event("run_completion", teams.uri(WEBHOOK).toString()));

        JsonObject card = teams.onlyRequest().json().getJsonArray("attachments").getJsonObject(0)
                .getJsonObject("content");
        assertThat(card.getJsonArray("body").getJsonObject(0).getString("text")).isEqualTo("Rainforest run failed");
        assertThat(card.getJsonArray("actions")).isEqualTo(json("""
                [{"type": "Action.OpenUrl", "title": "View run", "url": "https://app.rainforestqa.com/runs/7"}]"""));
    }

    @Test
    void expiredWebhookIsAUserConfigurationErrorThatNeverShowsTheUrl() {
        teams.setDefaultReply(Reply.json(404, "{\"error\":{\"code\":\"WorkflowNotFound\"}}"));

        HostClient.Answer answer = client.postEvent(event("run_error", teams.uri(WEBHOOK).toString()));

        assertThat(answer.status()).isEqualTo(400);
        JsonObject body = answer.json().asJsonObject();
        assertThat(body.getString("type")).isEqualTo("user_configuration_error");
        assertThat(body.getInt("failed_response_code")).isEqualTo(404);
        assertThat(body.getString("failed_response_body")).isEqualTo("{\"error\":{\"code\":\"WorkflowNotFound\"}}");
        assertThat(answer.body()).doesNotContain("very-secret-signature");
        assertThat(teams.requests()).hasSize(1);
    }

    @Test
    void office365ConnectorUrlIsRefusedWithoutSending() {
        HostClient.Answer answer = client.postEvent(event("integration_test",
                "https://contoso.webhook.office.com/webhookb2/0a1b/IncomingWebhook/very-secret-signature/2c"));

        assertThat(answer.status()).isEqualTo(400);
        JsonObject body = answer.json().asJsonObject();
        assertThat(body.getString("type")).isEqualTo("user_configuration_error");
        assertThat(body.getString("error")).contains("Office 365 connector").contains("Workflows");
        assertThat(answer.body()).doesNotContain("very-secret-signature").doesNotContain("webhookb2");
        assertThat(teams.requests()).isEmpty();
    }

    @Test
    void hostsOtherThanWorkflowsAreRefused() {
        HostClient.Answer answer = client.postEvent(event("run_error", "https://example.com/workflows/abc"));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().asJsonObject().getString("type")).isEqualTo("user_configuration_error");
        assertThat(answer.json().asJsonObject().getString("error"))
                .isEqualTo("microsoft_teams: setting \"url\": the URL's host example.com is not one microsoft_teams may reach "
                        + "(allowed: *.environment.api.powerplatform.com, *.logic.azure.com, 127.0.0.1)");
    }

    private static String event(String type, String url) {
        return """
                {"event_type": "%s", "event_id": "evt-1",
                 "integrations": [{"key": "microsoft_teams", "settings": {"url": "%s"}}],
                 "payload": {"frontend_url": "https://app.rainforestqa.com/runs/7",
                   "run": {"id": 7, "description": "Nightly", "environment": {"name": "QA"}, "result": "failed",
                           "error_reason": "", "time_taken": 1503, "total_tests": 4, "total_passed_tests": 3,
                           "total_failed_tests": 1, "total_no_result_tests": 0},
                   "failed_test": {"id": 12, "title": "Login", "frontend_url": "https://app.rainforestqa.com/tests/12"},
                   "browser": {"description": "Chrome"},
                   "feedback": [{"worker_name": "Ann", "note": "button missing"}]}}
                """.formatted(type, url).replace("evt-1", "evt-" + UUID.randomUUID());
    }

    private static jakarta.json.JsonStructure json(String text) {
        return Json.createReader(new StringReader(text)).read();
    }
}
