package com.example.integrations.googlechat;

import static org.assertj.core.api.Assertions.assertThat;

import com.rainforestqa.integrations.testkit.RecordedRequest;
import com.rainforestqa.integrations.testkit.Reply;
import com.rainforestqa.integrations.testkit.SamplePayloads;
import com.rainforestqa.integrations.testkit.harness.Delivery;
import com.rainforestqa.integrations.testkit.harness.PluginHarness;

import jakarta.json.JsonObject;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

/**
 * The plugin as an installation runs it: its classes packed into a jar, next to its private snakeyaml, loaded by the
 * real host in its own class loader, and events delivered to a fake Google Chat.
 */
class GoogleChatPluginTest {
    private static final Path SNAKEYAML = Path.of("target", "google-chat", "snakeyaml-2.2.jar");

    private static PluginHarness harness;

    @BeforeAll
    static void start() {
        harness = PluginHarness.builder()
                .classes(Path.of("target", "classes"), SNAKEYAML)
                // Retries without waiting, so the transient-failure test stays fast.
                .config("integrations: {delivery: {initial-backoff: PT0.001S, max-backoff: PT0.001S}}")
                .start();
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    @BeforeEach
    void reset() {
        harness.target().reset();
    }

    @Test
    void schemaPassesTheHostsChecks() {
        assertThat(harness.keys()).containsExactly("google_chat");
        assertThat(harness.problems()).isEmpty();
        assertThat(harness.schema("google_chat").getJsonArray("settings").getJsonObject(1).getJsonArray("options"))
                .hasToString("[\"card\",\"text\"]");
    }

    @Test
    void thePluginGetsItsOwnSnakeyamlNotTheOneOnTheHostsClassPath() throws ClassNotFoundException {
        Class<?> pluginsYaml = harness.classLoader("google_chat").loadClass(Yaml.class.getName());

        assertThat(pluginsYaml).isNotSameAs(Yaml.class);
        // The host reads a private copy of the plugin's jars, so the path names the bundled jar, not its folder.
        assertThat(pluginsYaml.getProtectionDomain().getCodeSource().getLocation().getPath())
                .endsWith("/snakeyaml-2.2.jar")
                .isNotEqualTo(Yaml.class.getProtectionDomain().getCodeSource().getLocation().getPath());
    }

    @Test
    void aFailedRunBecomesACardWithItsDetailsAndALink() {
        Delivery delivery = deliver("run_completion", "card", SamplePayloads.complete("run_completion"));

        assertThat(delivery.status()).as(delivery.result().toString()).isEqualTo("delivered");
        RecordedRequest request = delivery.onlyRequest();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/v1/spaces/AAAA/messages");
        assertThat(request.query()).isEqualTo("key=k&token=t");
        JsonObject message = request.json();
        assertThat(message.getString("text"))
                .isEqualTo("Rainforest run #1234 failed: Nightly regression (2 of 20 tests failed)");
        JsonObject card = message.getJsonArray("cardsV2").getJsonObject(0);
        assertThat(card.getString("cardId")).isEqualTo("rainforest-run_completion");
        assertThat(card.getJsonObject("card").getJsonObject("header").getString("subtitle"))
                .isEqualTo(message.getString("text"));
        assertThat(card.getJsonObject("card").getJsonArray("sections").getJsonObject(0).getJsonArray("widgets"))
                .hasToString("[{\"decoratedText\":{\"topLabel\":\"Environment\",\"text\":\"Staging\"}},"
                        + "{\"decoratedText\":{\"topLabel\":\"Result\",\"text\":\"failed\"}},"
                        + "{\"buttonList\":{\"buttons\":[{\"text\":\"Open in Rainforest\",\"onClick\":{\"openLink\":"
                        + "{\"url\":\"https://app.rainforestqa.com/runs/1234\"}}}]}}]");
    }

    @Test
    void textFormatSendsOneLine() {
        Delivery delivery = deliver("run_test_failure", "text", SamplePayloads.complete("run_test_failure"));

        assertThat(delivery.onlyRequest().json()).hasToString(
                "{\"text\":\"Test #5678 failed in Rainforest run #1234: Log in with a valid password on Chrome 131\"}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"run_completion", "run_error", "webhook_timeout", "run_test_failure", "integration_test"})
    void minimalPayloadsAreDelivered(String eventType) {
        Delivery delivery = deliver(eventType, "card", SamplePayloads.minimal(eventType));

        assertThat(delivery.status()).as(delivery.result().toString()).isEqualTo("delivered");
        assertThat(delivery.onlyRequest().json().getString("text")).isNotBlank();
    }

    @Test
    void aDeletedWebhookIsAUserConfigurationErrorThatNeverShowsTheUrl() {
        harness.target().setDefaultReply(Reply.jsonError(404, "Requested entity was not found."));

        Delivery delivery = deliver("run_error", "card", SamplePayloads.complete("run_error"));

        assertThat(delivery.type()).contains("user_configuration_error");
        assertThat(delivery.responseCode()).hasValue(404);
        assertThat(delivery.responseBody()).contains(
                "{\"error\":{\"code\":404,\"message\":\"Requested entity was not found.\"}}");
        assertThat(delivery.result().toString()).doesNotContain("token=t");
    }

    @Test
    void anOverloadedGoogleIsRetriedByTheHost() {
        harness.target().enqueue(Reply.jsonError(503, "The service is currently unavailable."));

        Delivery delivery = deliver("run_error", "card", SamplePayloads.complete("run_error"));

        assertThat(delivery.status()).isEqualTo("delivered");
        assertThat(delivery.requests()).hasSize(2);
    }

    @Test
    void anUnknownFormatIsTheUsersMistake() {
        Delivery delivery = deliver("run_error", "html", SamplePayloads.complete("run_error"));

        assertThat(delivery.type()).contains("user_configuration_error");
        assertThat(delivery.message()).contains("setting \"format\" must be card or text, not \"html\"");
        assertThat(delivery.requests()).isEmpty();
    }

    @Test
    void onlyGoogleChatIsReachable() {
        Delivery delivery = harness.deliver("run_error",
                Map.of("url", "https://chat.example.com/v1/spaces/AAAA/messages"), SamplePayloads.complete("run_error"));

        assertThat(delivery.type()).contains("user_configuration_error");
        assertThat(delivery.message()).contains("setting \"url\": the URL's host chat.example.com is not one "
                + "google_chat may reach "
                + "(allowed: 127.0.0.1, chat.googleapis.com, localhost)");
    }

    private static Delivery deliver(String eventType, String format, JsonObject payload) {
        String url = harness.target().uri("/v1/spaces/AAAA/messages?key=k&token=t").toString();
        return harness.deliver(eventType, Map.of("url", url, "format", format), payload);
    }
}
