package com.example.integrations.googlechat;

import com.rainforestqa.integrations.api.Event;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Renders events as Google Chat messages, from the wording in {@code messages.yaml} (read with the plugin's own
 * snakeyaml): a {@code text} message, or a card ({@code cardsV2}) with the same text as its fallback.
 */
final class GoogleChatMessages {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z]+)}");

    private final Map<String, Object> wording;

    private GoogleChatMessages(Map<String, Object> wording) {
        this.wording = wording;
    }

    static GoogleChatMessages load() {
        try (InputStream in = GoogleChatMessages.class.getResourceAsStream("messages.yaml")) {
            if (in == null) {
                throw new IllegalStateException("messages.yaml is missing from the plugin jar");
            }
            Map<String, Object> wording = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
            return new GoogleChatMessages(wording);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    JsonObject text(Event event) {
        return Json.createObjectBuilder().add("text", line(event)).build();
    }

    JsonObject card(Event event) {
        String line = line(event);
        JsonArrayBuilder widgets = Json.createArrayBuilder();
        event.run().ifPresent(run -> {
            run.environment().ifPresent(name -> widgets.add(field("Environment", name)));
            run.result().ifPresent(result -> widgets.add(field("Result", result)));
        });
        event.failedTest().flatMap(Event.FailedTest::title).ifPresent(title -> widgets.add(field("Test", title)));
        event.browser().ifPresent(browser -> widgets.add(field("Browser", browser)));
        event.frontendUrl().or(() -> event.failedTest().flatMap(Event.FailedTest::frontendUrl))
                .ifPresent(url -> widgets.add(Json.createObjectBuilder().add("buttonList", Json.createObjectBuilder()
                        .add("buttons", Json.createArrayBuilder().add(Json.createObjectBuilder()
                                .add("text", "Open in Rainforest")
                                .add("onClick", Json.createObjectBuilder().add("openLink",
                                        Json.createObjectBuilder().add("url", url))))))));
        JsonObject card = Json.createObjectBuilder()
                .add("header", Json.createObjectBuilder().add("title", "Rainforest QA").add("subtitle", line))
                .add("sections", Json.createArrayBuilder().add(Json.createObjectBuilder().add("widgets", widgets)))
                .build();
        return Json.createObjectBuilder()
                .add("text", line)
                .add("cardsV2", Json.createArrayBuilder().add(Json.createObjectBuilder()
                        .add("cardId", "rainforest-" + event.type())
                        .add("card", card)))
                .build();
    }

    String line(Event event) {
        Object template = wording.get(event.type());
        if (template instanceof Map<?, ?> byResult) {
            boolean passed = event.run().flatMap(Event.Run::result).filter("passed"::equals).isPresent();
            template = byResult.get(passed ? "passed" : "failed");
        }
        if (!(template instanceof String text)) {
            return "Rainforest event " + event.type();
        }
        Map<String, String> values = new LinkedHashMap<>();
        event.run().ifPresent(run -> {
            run.id().ifPresent(id -> values.put("run", "#" + id));
            run.description().ifPresent(description -> values.put("description", description));
            run.errorReason().ifPresent(error -> values.put("error", error));
            run.failedTests().ifPresent(failed -> values.put("failed", Long.toString(failed)));
            run.totalTests().ifPresent(total -> values.put("total", Long.toString(total)));
        });
        event.failedTest().ifPresent(test -> {
            test.id().ifPresent(id -> values.put("test", "#" + id));
            test.title().ifPresent(title -> values.put("title", title));
        });
        event.browser().ifPresent(browser -> values.put("browser", browser));
        Matcher placeholders = PLACEHOLDER.matcher(text);
        return placeholders.replaceAll(match -> Matcher.quoteReplacement(
                values.getOrDefault(match.group(1), "unknown")));
    }

    private static JsonObject field(String label, String value) {
        return Json.createObjectBuilder().add("decoratedText",
                Json.createObjectBuilder().add("topLabel", label).add("text", value)).build();
    }
}
