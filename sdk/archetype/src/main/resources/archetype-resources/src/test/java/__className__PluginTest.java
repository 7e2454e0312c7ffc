package ${package};

import static org.assertj.core.api.Assertions.assertThat;

import com.rainforestqa.integrations.testkit.Reply;
import com.rainforestqa.integrations.testkit.SamplePayloads;
import com.rainforestqa.integrations.testkit.harness.Delivery;
import com.rainforestqa.integrations.testkit.harness.PluginHarness;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The plugin as an installation runs it: packed into a jar, loaded by the real host in its own class loader, checked
 * as {@code rainforest-integrations check} does, and delivering events to a fake webhook on loopback.
 */
class ${className}PluginTest {
    private static PluginHarness harness;

    @BeforeAll
    static void start() {
        harness = PluginHarness.builder()
                .classes(Path.of("target", "classes"))
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
        assertThat(harness.keys()).containsExactly("${integrationKey}");
        assertThat(harness.problems()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"run_completion", "run_error", "webhook_timeout", "run_test_failure", "integration_test"})
    void everyEventIsDeliveredWithACompleteOrAMinimalPayload(String type) {
        assertThat(deliver(type, SamplePayloads.complete(type)).status()).isEqualTo("delivered");
        assertThat(deliver(type, SamplePayloads.minimal(type)).status()).isEqualTo("delivered");
    }

    @Test
    void aFailedTestIsPostedWithItsTitle() {
        Delivery delivery = deliver("run_test_failure", SamplePayloads.complete("run_test_failure"));

        assertThat(delivery.onlyRequest().path()).isEqualTo("/hooks/abc");
        assertThat(delivery.onlyRequest().json().getString("text"))
                .startsWith("Test failed in Rainforest run #1234: Log in with a valid password");
    }

    @Test
    void aRefusedWebhookIsTheUsersMistake() {
        harness.target().setDefaultReply(Reply.jsonError(404, "no such webhook"));

        Delivery delivery = deliver("integration_test", SamplePayloads.complete("integration_test"));

        assertThat(delivery.type()).contains("user_configuration_error");
        assertThat(delivery.responseCode()).hasValue(404);
    }

    @Test
    void aFailingWebhookIsTriedAgain() {
        harness.target().enqueue(Reply.status(503), Reply.status(200));

        Delivery delivery = deliver("integration_test", SamplePayloads.complete("integration_test"));

        assertThat(delivery.status()).isEqualTo("delivered");
        assertThat(delivery.requests()).hasSize(2);
    }

    private static Delivery deliver(String type, jakarta.json.JsonObject payload) {
        return harness.deliver(type, Map.of("url", harness.target().uri("/hooks/abc").toString()), payload);
    }
}
