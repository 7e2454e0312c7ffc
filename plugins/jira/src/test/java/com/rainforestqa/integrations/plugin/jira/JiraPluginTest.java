package com.rainforestqa.integrations.plugin.jira;

import static com.rainforestqa.integrations.plugin.jira.JiraIntegrationTest.TEST_FAILURE;
import static com.rainforestqa.integrations.plugin.jira.JiraIntegrationTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.rainforestqa.integrations.testkit.SamplePayloads;
import com.rainforestqa.integrations.testkit.harness.Delivery;
import com.rainforestqa.integrations.testkit.harness.PluginHarness;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Jira plugin as the host runs it, through the test kit's harness: packed into a jar in a plugins directory,
 * loaded in its own class loader, its schema checked, and events delivered by the host to a fake Jira over HTTP.
 */
class JiraPluginTest {
    private static final String API_TOKEN = "jira-cloud-token-789";

    private static PluginHarness harness;
    private FakeJira jira;

    @BeforeAll
    static void start() {
        harness = PluginHarness.forClasses(Path.of("target", "classes"));
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    @BeforeEach
    void startJira() {
        // A fresh Jira, with no issues, on the harness's target; the harness closes the target.
        harness.target().reset();
        jira = FakeJira.on(harness.target());
        String basic = "Basic " + Base64.getEncoder()
                .encodeToString(("qa@example.com:" + API_TOKEN).getBytes(StandardCharsets.UTF_8));
        jira.acceptAuthorization(basic::equals);
    }

    @Test
    void schemaIsServedFromThePluginJar() {
        assertThat(harness.keys()).containsExactly("jira");
        assertThat(harness.problems()).isEmpty();
        assertThat(harness.schema("jira")).isEqualTo(json("""
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
        assertThat(harness.classLoader("jira")).isNotSameAs(JiraPluginTest.class.getClassLoader());
    }

    @Test
    void oddTestIdsAreFiledNotTakenForAPluginFailure() {
        for (String id : List.of("7".repeat(100_000), "12\u200334", "56\u001f78")) {
            JsonObject failure = json(TEST_FAILURE);
            JsonObject payload = Json.createObjectBuilder(failure).add("failed_test",
                    Json.createObjectBuilder(failure.getJsonObject("failed_test")).add("id", id)).build();

            Delivery delivery = harness.deliver("run_test_failure", credentials(API_TOKEN), payload);

            assertThat(delivery.status()).as(delivery.result().toString()).isEqualTo("delivered");
        }
        assertThat(jira.created()).hasSize(3);
    }

    @Test
    void failedTestIsFiledThenCommentedOnThroughTheHost() {
        Delivery first = harness.deliver("run_test_failure", credentials(API_TOKEN), json(TEST_FAILURE));
        // The same test failing in a later run.
        Delivery second = harness.deliver("run_test_failure", credentials(API_TOKEN), json(TEST_FAILURE));

        assertThat(first.status()).as(first.result().toString()).isEqualTo("delivered");
        assertThat(second.status()).as(second.result().toString()).isEqualTo("delivered");
        assertThat(jira.paths()).containsExactly("/rest/api/2/search", "/rest/api/2/issue",
                "/rest/api/2/search", "/rest/api/2/issue/OPS-1/comment");
        assertThat(jira.created().getFirst().getJsonArray("labels").getString(0)).isEqualTo("RfTest12");
        assertThat(jira.comments("OPS-1")).hasSize(1);
    }

    @Test
    void eventsJiraDoesNotHandleAreSkippedWithoutContactingIt() {
        Delivery delivery = harness.deliver("run_completion", credentials(API_TOKEN), json(TEST_FAILURE));

        assertThat(delivery.status()).as(delivery.result().toString()).isEqualTo("skipped");
        assertThat(jira.requests()).isEmpty();
    }

    @Test
    void rejectedCredentialsAreAUserConfigurationErrorThatNeverShowsTheToken() {
        Delivery delivery = harness.deliver("run_test_failure", credentials("wrong-token-000"), json(TEST_FAILURE));

        assertThat(delivery.status()).isEqualTo("failed");
        assertThat(delivery.type()).contains("user_configuration_error");
        assertThat(delivery.message()).contains(
                "Jira answered 401 to the issue search: authentication failed; check the email and API token");
        assertThat(delivery.responseCode()).hasValue(401);
        assertThat(delivery.result().toString()).doesNotContain("wrong-token-000");
        assertThat(jira.paths()).containsExactly("/rest/api/2/search");
    }

    @Test
    void missingProjectKeyIsRefusedBeforeAnythingIsSent() {
        Delivery delivery = harness.deliver("run_test_failure",
                Map.of("jira_base_url", jira.baseUrl(), "email", "qa@example.com"), json(TEST_FAILURE));

        assertThat(delivery.status()).isEqualTo("failed");
        assertThat(delivery.type()).contains("misconfigured_integration");
        assertThat(jira.requests()).isEmpty();
    }

    @Test
    void noWayToAuthenticateIsMisconfiguredBeforeAnythingIsSent() {
        Delivery delivery = harness.deliver("integration_test",
                Map.of("jira_base_url", jira.baseUrl(), "project_key", "OPS"), JsonObject.EMPTY_JSON_OBJECT);

        assertThat(delivery.status()).isEqualTo("failed");
        assertThat(delivery.type()).contains("misconfigured_integration");
        assertThat(delivery.message()).hasValueSatisfying(message -> assertThat(message)
                .startsWith("no Jira credentials: "));
        assertThat(jira.requests()).isEmpty();
    }

    @Test
    void oauthSignedRequestsReachJiraThroughTheHost() {
        jira.acceptAuthorization(header -> header.startsWith("OAuth oauth_consumer_key=\"rainforest\", "));
        // Rainforest sends the consumer once, at the request's top level; the host hands it to the plugin.
        String pem = JiraIntegrationTest.resource("/oauth/test-key-pkcs1.pem");
        JsonObject request = Json.createObjectBuilder()
                .add("oauth_consumer", Json.createObjectBuilder()
                        .add("key", "rainforest")
                        .add("secrets", Json.createObjectBuilder().add("RSA-SHA1", pem)))
                .add("event_type", "integration_test")
                .add("integrations", Json.createArrayBuilder().add(Json.createObjectBuilder()
                        .add("key", "jira")
                        .add("settings", Json.createObjectBuilder()
                                .add("jira_base_url", jira.baseUrl())
                                .add("project_key", "OPS")
                                .add("oauth_settings", Json.createObjectBuilder()
                                        .add("access_token", "tok")
                                        .add("access_secret", "sec")
                                        .add("signature_method", "RSA-SHA1")))))
                .add("payload", JsonObject.EMPTY_JSON_OBJECT)
                .build();

        Delivery delivery = harness.deliver(request);

        assertThat(delivery.status()).as(delivery.result().toString()).isEqualTo("delivered");
        assertThat(jira.paths()).containsExactly("/rest/api/2/search", "/rest/api/2/issue");
        assertThat(jira.created().getFirst().getJsonArray("labels").getString(0)).isEqualTo("Integration-Test");
    }


    @Test
    void oversizedFeedbackKeepsDescriptionAndCommentWithinJirasLimit() {
        JsonObject payload = SamplePayloads.oversized("run_test_failure");

        Delivery created = harness.deliver("run_test_failure", credentials(API_TOKEN), payload);
        Delivery commented = harness.deliver("run_test_failure", credentials(API_TOKEN), payload);

        assertThat(created.status()).as(created.result().toString()).isEqualTo("delivered");
        assertThat(commented.status()).as(commented.result().toString()).isEqualTo("delivered");
        String description = jira.created().getFirst().getString("description");
        List<String> comments = jira.requests().stream().filter(request -> request.path().endsWith("/comment"))
                .map(request -> request.json().getString("body")).toList();
        assertThat(comments).hasSize(1);
        for (String text : List.of(description, comments.getFirst())) {
            assertThat(text.length()).isLessThanOrEqualTo(32_767);
            // Java writes a lone surrogate as '?', which the oversized payload never contains.
            assertThat(text).doesNotContain("?");
        }
        assertThat(description).endsWith("(cut to Jira's limit)");
    }

    private Map<String, String> credentials(String token) {
        return Map.of("jira_base_url", jira.baseUrl() + "/", "project_key", "OPS",
                "email", "qa@example.com", "api_token", token);
    }
}
