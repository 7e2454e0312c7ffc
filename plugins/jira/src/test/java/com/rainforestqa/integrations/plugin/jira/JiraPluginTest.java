package com.rainforestqa.integrations.plugin.jira;

import static com.rainforestqa.integrations.plugin.jira.JiraIntegrationTest.TEST_FAILURE;
import static com.rainforestqa.integrations.plugin.jira.JiraIntegrationTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.rainforestqa.integrations.host.IntegrationsHost;
import com.rainforestqa.integrations.host.config.HostConfig;
import com.rainforestqa.integrations.testkit.HostClient;
import com.rainforestqa.integrations.testkit.PluginJars;

import io.helidon.webserver.WebServer;

import jakarta.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Jira plugin as the host runs it: packed into a jar in a plugins directory, loaded in its own class loader, its
 * schema served by {@code GET /integrations}, and signed events delivered to a fake Jira over HTTP.
 */
class JiraPluginTest {
    private static final String SIGNING_KEY = "jira-test-key";
    private static final String API_TOKEN = "jira-cloud-token-789";

    @TempDir
    static Path home;

    private static IntegrationsHost host;
    private static WebServer server;
    private static HostClient client;
    private FakeJira jira;

    @BeforeAll
    static void start() {
        PluginJars.pack(Path.of("target", "classes"), home.resolve("plugins").resolve("jira.jar"));
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
                """.formatted(SIGNING_KEY)), home);
        server = WebServer.builder().port(0).host("127.0.0.1").routing(host::routing).build().start();
        client = new HostClient(server.port(), SIGNING_KEY);
    }

    @AfterAll
    static void stop() {
        server.stop();
        host.close();
    }

    @BeforeEach
    void startJira() {
        jira = FakeJira.start();
        String basic = "Basic " + Base64.getEncoder()
                .encodeToString(("qa@example.com:" + API_TOKEN).getBytes(StandardCharsets.UTF_8));
        jira.acceptAuthorization(basic::equals);
    }

    @AfterEach
    void stopJira() {
        jira.close();
    }

    @Test
    void schemaIsServedFromThePluginJar() {
        HostClient.Answer answer = client.get("/integrations/jira");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json()).isEqualTo(json("""
                {"key": "jira", "title": "Jira", "events": ["run_test_failure", "webhook_timeout"],
                 "settings": [
                   {"key": "jira_base_url", "title": "Jira base URL", "required": true},
                   {"key": "project_key", "title": "Project key", "required": true},
                   {"key": "email", "title": "Account email (Jira Cloud)"},
                   {"key": "api_token", "title": "API token (Jira Cloud)", "secret": true},
                   {"key": "personal_access_token", "title": "Personal access token (Jira Data Center / Server)",
                    "secret": true},
                   {"key": "oauth_settings", "title": "OAuth 1.0a access token (Jira Data Center / Server)",
                    "oauth_version": 1, "secret": true}]}"""));
        assertThat(host.plugins().find("jira").orElseThrow().classLoader())
                .isNotSameAs(JiraPluginTest.class.getClassLoader());
    }

    @Test
    void failedTestIsFiledThenCommentedOnThroughTheHost() {
        HostClient.Answer first = client.postEvent(event("run_test_failure", credentials(API_TOKEN)));
        // The same test failing in a later run: another event, so another id.
        HostClient.Answer second = client.postEvent(event("run_test_failure", credentials(API_TOKEN))
                .replace("evt-1", "evt-2"));

        assertThat(first.status()).as(first.body()).isEqualTo(201);
        assertThat(second.status()).as(second.body()).isEqualTo(201);
        assertThat(first.json().asJsonObject().getJsonArray("results").getJsonObject(0).getString("status"))
                .isEqualTo("delivered");
        assertThat(jira.paths()).containsExactly("/rest/api/2/search", "/rest/api/2/issue",
                "/rest/api/2/search", "/rest/api/2/issue/OPS-1/comment");
        assertThat(jira.created().getFirst().getJsonArray("labels").getString(0)).isEqualTo("RfTest12");
        assertThat(jira.comments("OPS-1")).hasSize(1);
    }

    @Test
    void eventsJiraDoesNotHandleAreSkippedWithoutContactingIt() {
        HostClient.Answer answer = client.postEvent(event("run_completion", credentials(API_TOKEN)));

        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        assertThat(answer.json().asJsonObject().getJsonArray("results").getJsonObject(0).getString("status"))
                .isEqualTo("skipped");
        assertThat(jira.requests()).isEmpty();
    }

    @Test
    void rejectedCredentialsAreAUserConfigurationErrorThatNeverShowsTheToken() {
        HostClient.Answer answer = client.postEvent(event("run_test_failure", credentials("wrong-token-000")));

        assertThat(answer.status()).isEqualTo(400);
        JsonObject body = answer.json().asJsonObject();
        assertThat(body.getString("type")).isEqualTo("user_configuration_error");
        assertThat(body.getString("error")).isEqualTo(
                "jira: Jira answered 401 to the issue search: authentication failed; check the email and API token");
        assertThat(body.getJsonArray("results").getJsonObject(0).getInt("failed_response_code")).isEqualTo(401);
        assertThat(answer.body()).doesNotContain("wrong-token-000");
        assertThat(jira.paths()).containsExactly("/rest/api/2/search");
    }

    @Test
    void missingProjectKeyIsRefusedBeforeAnythingIsSent() {
        HostClient.Answer answer = client.postEvent(event("run_test_failure",
                "\"jira_base_url\": \"" + jira.baseUrl() + "\", \"email\": \"qa@example.com\""));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().asJsonObject().getString("type")).isEqualTo("misconfigured_integration");
        assertThat(jira.requests()).isEmpty();
    }

    @Test
    void noWayToAuthenticateIsMisconfiguredBeforeAnythingIsSent() {
        HostClient.Answer answer = client.postEvent(event("integration_test",
                "\"jira_base_url\": \"" + jira.baseUrl() + "\", \"project_key\": \"OPS\""));

        assertThat(answer.status()).isEqualTo(400);
        JsonObject body = answer.json().asJsonObject();
        assertThat(body.getString("type")).isEqualTo("misconfigured_integration");
        assertThat(body.getString("error")).startsWith("jira: no Jira credentials: ");
        assertThat(jira.requests()).isEmpty();
    }

    @Test
    void oauthSignedRequestsReachJiraThroughTheHost() {
        jira.acceptAuthorization(header -> header.startsWith("OAuth oauth_consumer_key=\"rainforest\", "));
        // Rainforest sends the consumer once, at the request's top level; the host hands it to the plugin.
        String pem = JiraIntegrationTest.resource("/oauth/test-key-pkcs1.pem").replace("\n", "\\n");
        String settings = "\"jira_base_url\": \"" + jira.baseUrl() + "\", \"project_key\": \"OPS\", "
                + "\"oauth_settings\": {\"access_token\": \"tok\", \"access_secret\": \"sec\", "
                + "\"signature_method\": \"RSA-SHA1\"}";
        String request = "{\"oauth_consumer\": {\"key\": \"rainforest\", \"secrets\": {\"RSA-SHA1\": \"" + pem + "\"}}, "
                + event("integration_test", settings).strip().substring(1);

        HostClient.Answer answer = client.postEvent(request);

        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        assertThat(jira.paths()).containsExactly("/rest/api/2/search", "/rest/api/2/issue");
        assertThat(jira.created().getFirst().getJsonArray("labels").getString(0)).isEqualTo("Integration-Test");
    }

    private String credentials(String token) {
        return "\"jira_base_url\": \"" + jira.baseUrl() + "/\", \"project_key\": \"OPS\", "
                + "\"email\": \"qa@example.com\", \"api_token\": \"" + token + "\"";
    }

    private static String event(String type, String settings) {
        String payload = type.equals("integration_test") ? "{}" : TEST_FAILURE;
        return """
                {"event_type": "%s", "event_id": "evt-1",
                 "integrations": [{"key": "jira", "settings": {%s}}],
                 "payload": %s}
                """.formatted(type, settings, payload);
    }
}
