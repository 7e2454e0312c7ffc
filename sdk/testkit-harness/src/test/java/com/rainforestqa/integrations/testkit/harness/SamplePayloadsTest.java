package com.rainforestqa.integrations.testkit.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rainforestqa.integrations.api.Event;
import com.rainforestqa.integrations.host.delivery.EventCatalog;
import com.rainforestqa.integrations.testkit.SamplePayloads;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The kit's sample payloads stay in step with the host's event catalogue. */
class SamplePayloadsTest {
    private final EventCatalog catalog = EventCatalog.load();

    @Test
    void theKitKnowsEveryEventTheHostSends() {
        assertThat(SamplePayloads.EVENT_TYPES).isEqualTo(catalog.eventTypes());
    }

    @Test
    void everySampleIsAcceptedByTheHost() {
        for (String type : SamplePayloads.EVENT_TYPES) {
            assertThat(catalog.problemWith(type, SamplePayloads.complete(type))).as(type).isEmpty();
            assertThat(catalog.problemWith(type, SamplePayloads.minimal(type))).as(type).isEmpty();
        }
    }

    @Test
    void minimalPayloadsHoldOnlyEmptyRequiredObjects() {
        for (String type : SamplePayloads.EVENT_TYPES) {
            JsonObject minimal = SamplePayloads.minimal(type);
            assertThat(minimal.values()).as(type).allMatch(JsonValue.EMPTY_JSON_OBJECT::equals);
            JsonObject catalogue = catalog.json().stream().map(JsonValue::asJsonObject)
                    .filter(event -> event.getString("key").equals(type)).findFirst().orElseThrow();
            assertThat(minimal.keySet()).as(type).isEqualTo(catalogue.getJsonObject("payload").keySet());
        }
    }

    @Test
    void completeFailurePayloadFillsEveryFieldPluginsRead() {
        Event event = new Event(Event.RUN_TEST_FAILURE, Optional.empty(),
                SamplePayloads.complete(Event.RUN_TEST_FAILURE));

        assertThat(event.frontendUrl()).contains("https://app.rainforestqa.com/runs/1234");
        assertThat(event.run().orElseThrow().environment()).contains("Staging");
        assertThat(event.failedTest().orElseThrow().title()).contains("Log in with a valid password");
        assertThat(event.browser()).contains("Chrome 131");
        assertThat(event.feedback()).hasSize(2);
    }

    @Test
    void unknownEventTypesAreRefused() {
        assertThatThrownBy(() -> SamplePayloads.complete("run_started"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("unknown event type \"run_started\"");
    }

    @Test
    void aPluginThatCannotLoadStopsTheHarnessWithTheLoadersReason() {
        assertThatThrownBy(() -> PluginHarness.forPlugin(Path.of("target", "no-such-plugin.jar")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no-such-plugin.jar does not exist");
    }
}
