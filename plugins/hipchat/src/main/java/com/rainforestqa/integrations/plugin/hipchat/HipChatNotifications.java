package com.rainforestqa.integrations.plugin.hipchat;

import com.rainforestqa.integrations.api.Event;
import com.rainforestqa.integrations.api.HumanDuration;
import com.rainforestqa.integrations.api.TextLimit;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.spi.JsonProvider;

import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Renders an event as the body of a HipChat room notification: an HTML {@code message} (what every client shows), a
 * {@code color}, {@code notify}, and for run events an application {@code card} whose attributes carry the details.
 * Text from Rainforest's users (run descriptions, test titles, error reasons) is escaped in the HTML and shortened,
 * because HipChat refuses messages over 10,000 characters.
 */
final class HipChatNotifications {
    /** Looked up once: each {@code Json.create...} call would look the provider up again. */
    private static final JsonProvider JSON = JsonProvider.provider();

    static final String GREEN = "green";
    static final String RED = "red";

    private static final Set<String> HANDLED = Set.of(Event.RUN_COMPLETION, Event.RUN_ERROR, Event.WEBHOOK_TIMEOUT,
            Event.RUN_TEST_FAILURE, Event.INTEGRATION_TEST);
    private static final int MAX_TEXT = 1000;

    private HipChatNotifications() {
    }

    /**
     * Whether there is a notification for an event type.
     *
     * @param type the event type
     * @return true for the five events of today
     */
    static boolean handles(String type) {
        return HANDLED.contains(type);
    }

    /**
     * The notification for an event.
     *
     * @param event an event whose type {@link #handles} accepts
     * @return the JSON body to post
     * @throws IllegalArgumentException for an event type without a notification
     */
    static JsonObject render(Event event) {
        if (event.type().equals(Event.INTEGRATION_TEST)) {
            return notification("Your HipChat integration with Rainforest works: this room will be notified about "
                    + "your runs.", GREEN).build();
        }
        Optional<Event.Run> run = event.run();
        String runLink = runLink(event, run);
        Card card = new Card();
        String message;
        String color;
        switch (event.type()) {
            case Event.RUN_COMPLETION -> {
                String result = run.flatMap(Event.Run::result).orElse("");
                boolean passed = result.equals("passed");
                color = passed ? GREEN : RED;
                message = "Your Rainforest run " + runLink + (passed ? " passed"
                        : result.isEmpty() ? " completed" : " completed with result " + html(result)) + ".";
                card.attribute("Result", result, passed ? "lozenge-success" : "lozenge-error");
                run.flatMap(Event.Run::environment).ifPresent(env -> card.attribute("Environment", env, null));
                run.map(Event.Run::timeTakenSeconds).filter(OptionalLong::isPresent)
                        .ifPresent(seconds -> card.attribute("Duration", HumanDuration.compact(Math.max(0, seconds.getAsLong())), null));
                run.map(Event.Run::totalTests).filter(OptionalLong::isPresent).ifPresent(total -> card.attribute(
                        "Tests", testCounts(run.get(), total.getAsLong()), null));
            }
            case Event.RUN_ERROR -> {
                color = RED;
                Optional<String> reason = run.flatMap(Event.Run::errorReason);
                message = "Your Rainforest run " + runLink + " errored"
                        + reason.map(text -> ": " + html(text)).orElse("") + ".";
                reason.ifPresent(text -> card.attribute("Error", text, "lozenge-error"));
                run.flatMap(Event.Run::environment).ifPresent(env -> card.attribute("Environment", env, null));
            }
            case Event.WEBHOOK_TIMEOUT -> {
                color = RED;
                message = "Your Rainforest run " + runLink + " timed out waiting for your webhook.";
                run.flatMap(Event.Run::environment).ifPresent(env -> card.attribute("Environment", env, null));
            }
            case Event.RUN_TEST_FAILURE -> {
                color = RED;
                Optional<Event.FailedTest> test = event.failedTest();
                String testText = test.flatMap(Event.FailedTest::title).map(HipChatNotifications::shorten)
                        .or(() -> test.flatMap(Event.FailedTest::id).map(id -> "test #" + id))
                        .orElse("a test");
                String testLink = link(test.flatMap(Event.FailedTest::frontendUrl), html(testText));
                message = "The test " + testLink + " failed in your Rainforest run " + runLink + ".";
                card.attribute("Failed test", testText, "lozenge-error",
                        test.flatMap(Event.FailedTest::frontendUrl));
                event.browser().ifPresent(browser -> card.attribute("Browser", browser, null));
                run.flatMap(Event.Run::environment).ifPresent(env -> card.attribute("Environment", env, null));
            }
            default -> throw new IllegalArgumentException("no HipChat notification for " + event.type());
        }
        JsonObjectBuilder body = notification(message, color);
        body.add("card", card.build(event, run));
        return body.build();
    }

    private static JsonObjectBuilder notification(String message, String color) {
        return JSON.createObjectBuilder()
                .add("message", message)
                .add("message_format", "html")
                .add("color", color)
                .add("notify", true);
    }

    private static String runLink(Event event, Optional<Event.Run> run) {
        String name = run.flatMap(Event.Run::id).map(id -> "#" + id).orElse("")
                + run.flatMap(Event.Run::description).map(text -> " (" + shorten(text) + ")").orElse("");
        return link(event.frontendUrl(), html(name.isBlank() ? "run" : name.strip()));
    }

    private static String link(Optional<String> url, String escapedText) {
        return url.filter(HipChatNotifications::isWebUrl)
                .map(href -> "<a href=\"" + html(href) + "\">" + escapedText + "</a>")
                .orElse(escapedText);
    }

    // Only http(s) links: a javascript: URL in a payload must not become a clickable link.
    private static boolean isWebUrl(String url) {
        String lower = url.strip().toLowerCase(Locale.ROOT);
        return lower.startsWith("https://") || lower.startsWith("http://");
    }

    private static String testCounts(Event.Run run, long total) {
        return total + " tests: " + run.passedTests().orElse(0) + " passed, " + run.failedTests().orElse(0)
                + " failed, " + run.noResultTests().orElse(0) + " no result";
    }

    /**
     * Escapes text for HipChat's HTML messages.
     *
     * @param text plain text
     * @return the text with {@code & < > " '} escaped
     */
    static String html(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }

    private static String shorten(String text) {
        return TextLimit.UTF16_UNITS.truncate(text, MAX_TEXT);
    }

    /** Collects a card's attributes; card values are plain text, so they are shortened but not escaped. */
    private static final class Card {
        private final JsonArrayBuilder attributes = JSON.createArrayBuilder();

        void attribute(String label, String value, String style) {
            attribute(label, value, style, Optional.empty());
        }

        void attribute(String label, String value, String style, Optional<String> url) {
            if (value.isEmpty()) {
                return;
            }
            JsonObjectBuilder attributeValue = JSON.createObjectBuilder().add("label", shorten(value));
            url.filter(HipChatNotifications::isWebUrl).ifPresent(href -> attributeValue.add("url", href));
            if (style != null) {
                attributeValue.add("style", style);
            }
            attributes.add(JSON.createObjectBuilder().add("label", label).add("value", attributeValue));
        }

        // HipChat groups repeated sends of a card by its id, so an event's own id is the natural choice.
        JsonObject build(Event event, Optional<Event.Run> run) {
            String runId = run.flatMap(Event.Run::id).orElse("");
            JsonObjectBuilder card = JSON.createObjectBuilder()
                    .add("style", "application")
                    .add("format", "medium")
                    .add("id", event.eventId().orElse("rainforest-" + event.type() + "-" + runId))
                    .add("title", shorten("Rainforest run " + (runId.isEmpty() ? "" : "#" + runId + " ")
                            + run.flatMap(Event.Run::description).orElse("")).strip());
            event.frontendUrl().filter(HipChatNotifications::isWebUrl).ifPresent(url -> card.add("url", url));
            card.add("attributes", attributes);
            return card.build();
        }
    }
}
