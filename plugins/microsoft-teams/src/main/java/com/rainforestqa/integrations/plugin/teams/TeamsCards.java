package com.rainforestqa.integrations.plugin.teams;

import com.rainforestqa.integrations.api.Event;
import com.rainforestqa.integrations.api.TextLimit;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Turns an event into the body a Teams Workflows webhook posts: a {@code message} with one Adaptive Card.
 *
 * <p>The card has a coloured heading, the run's name, a fact set (result, environment, duration, counts; error
 * reason; failed test, browser), testers' feedback, and buttons that open the run and the test in Rainforest. Only
 * {@code Action.OpenUrl} is used: there is no bot behind a Workflows card to receive a submit. Payload text goes in
 * as sent: Teams does not honour Markdown escapes in cards, and escaping would show stray backslashes. Nested fields
 * may be absent: what is missing is left out.
 */
final class TeamsCards {
    /** Looked up once: each {@code Json.create...} call would look the provider up again. */
    private static final JsonProvider JSON = JsonProvider.provider();

    static final String CONTENT_TYPE = "application/vnd.microsoft.card.adaptive";
    static final String SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json";
    /** The newest card version every Teams client renders. */
    static final String VERSION = "1.4";
    static final String GOOD = "Good";
    static final String ATTENTION = "Attention";
    static final String NO_ERROR_REASON =
            "No reason was given. If you'd like help debugging this, email help@rainforestqa.com.";
    static final String TIMEOUT_TEXT = "The run timed out because a webhook did not answer. "
            + "If you need a hand debugging it, email help@rainforestqa.com.";
    static final String INTEGRATION_TEST_TEXT =
            "Your Microsoft Teams integration with Rainforest works: this channel will be notified about your runs.";
    /** Keeps a card with many long notes well under the webhook's 28 KB limit. */
    static final int MAX_NOTE_LENGTH = 1000;
    static final int MAX_NOTES = 10;
    /** A fact from the event (a test's title, an environment's name) is shown whole up to this length. */
    static final int MAX_FACT_LENGTH = 1000;
    /**
     * The UTF-8 size of the card a message may carry. Teams drops cards over about 28 KB after the Workflows webhook
     * has already answered 202, so the plugin could not tell; this leaves room for the message around the card.
     */
    static final int MAX_CARD_BYTES = 27_500;

    private static final Set<String> TYPES = Set.of(Event.RUN_COMPLETION, Event.RUN_ERROR, Event.WEBHOOK_TIMEOUT,
            Event.RUN_TEST_FAILURE, Event.INTEGRATION_TEST);

    private TeamsCards() {
    }

    /**
     * Whether there is a card for this event type.
     *
     * @param type the event type
     * @return true for the five event types of today
     */
    static boolean handles(String type) {
        return TYPES.contains(type);
    }

    /**
     * The webhook message for an event.
     *
     * @param event the event
     * @return {@code {"type": "message", "attachments": [{"contentType": ..., "content": <card>}]}}
     * @throws IllegalArgumentException if {@link #handles} is false for the event's type
     */
    static JsonObject render(Event event) {
        JsonObject card = switch (event.type()) {
            case Event.RUN_COMPLETION -> runCompletion(event);
            case Event.RUN_ERROR -> card(new Card(ATTENTION, "Rainforest run errored", runLabel(event))
                    .fact("Error reason", run(event).errorReason().orElse(NO_ERROR_REASON))
                    .runLink(event));
            case Event.WEBHOOK_TIMEOUT -> card(new Card(ATTENTION, "Rainforest run timed out", runLabel(event))
                    .text(TIMEOUT_TEXT)
                    .fact("Environment", run(event).environment())
                    .runLink(event));
            case Event.RUN_TEST_FAILURE -> runTestFailure(event);
            case Event.INTEGRATION_TEST -> card(new Card(GOOD, "Rainforest is connected", Optional.empty())
                    .text(INTEGRATION_TEST_TEXT));
            default -> throw new IllegalArgumentException("no Microsoft Teams card for event type " + event.type());
        };
        return JSON.createObjectBuilder()
                .add("type", "message")
                .add("attachments", JSON.createArrayBuilder().add(JSON.createObjectBuilder()
                        .add("contentType", CONTENT_TYPE)
                        .addNull("contentUrl")
                        .add("content", card)))
                .build();
    }

    private static JsonObject runCompletion(Event event) {
        Event.Run run = run(event);
        Optional<String> result = run.result();
        boolean passed = result.filter("passed"::equalsIgnoreCase).isPresent();
        boolean failed = result.filter("failed"::equalsIgnoreCase).isPresent();
        String heading = passed ? "Rainforest run passed"
                : failed ? "Rainforest run failed"
                : "Rainforest run complete";
        Card card = new Card(passed ? GOOD : ATTENTION, heading, runLabel(event))
                .fact("Result", result.map(TeamsCards::humanize))
                .fact("Environment", run.environment());
        run.timeTakenSeconds().stream().filter(seconds -> seconds >= 0)
                .forEach(seconds -> card.fact("Duration", duration(seconds)));
        count(run, "Passed", run.passedTests()).ifPresent(value -> card.fact("Passed", value));
        count(run, "Failed", run.failedTests()).ifPresent(value -> card.fact("Failed", value));
        count(run, "No result", run.noResultTests()).ifPresent(value -> card.fact("No result", value));
        run.totalTests().ifPresent(total -> card.fact("Total tests", Long.toString(total)));
        return card(card.runLink(event));
    }

    private static JsonObject runTestFailure(Event event) {
        Card card = new Card(ATTENTION, "Test failed in a Rainforest run", runLabel(event));
        Optional<Event.FailedTest> test = event.failedTest();
        test.ifPresent(failed -> card.fact("Failed test", label("Test", failed.id(), failed.title())));
        card.fact("Environment", run(event).environment()).fact("Browser", event.browser());
        List<Event.Feedback> notes = event.feedback().stream()
                .filter(note -> note.workerName().isPresent() || note.note().isPresent())
                .toList();
        notes.stream().limit(MAX_NOTES).forEach(note -> card.feedback(note.workerName().orElse("Tester"),
                truncate(note.note().orElse(""))));
        if (notes.size() > MAX_NOTES) {
            card.feedbackMore(notes.size() - MAX_NOTES);
        }
        test.flatMap(Event.FailedTest::frontendUrl).ifPresent(url -> card.link("View test", url));
        card.runLink(event);
        // Notes in Japanese or emoji take up to three times the bytes of their characters: the last notes give way
        // until the card fits, and are counted as more notes.
        JsonObject content = card(card);
        while (TextLimit.UTF8_BYTES.length(content.toString()) > MAX_CARD_BYTES && card.dropLastNote()) {
            content = card(card);
        }
        return content;
    }

    /** "Run #12: Nightly", "Run #12", or "Run: Nightly"; empty when the run has neither. */
    private static Optional<String> runLabel(Event event) {
        Event.Run run = run(event);
        return run.id().isEmpty() && run.description().isEmpty()
                ? Optional.empty()
                : Optional.of(label("Run", run.id(), run.description()));
    }

    private static String label(String noun, Optional<String> id, Optional<String> name) {
        return noun + id.map(value -> " #" + value).orElse("") + name.map(value -> ": " + value).orElse("");
    }

    /** "8 (80%)"; no percentage without a total. */
    private static Optional<String> count(Event.Run run, String title, OptionalLong count) {
        if (count.isEmpty()) {
            return Optional.empty();
        }
        long value = count.getAsLong();
        OptionalLong total = run.totalTests();
        String percentage = total.isPresent() && total.getAsLong() > 0
                ? " (" + Math.round(value * 100.0 / total.getAsLong()) + "%)"
                : "";
        return Optional.of(value + percentage);
    }

    /** "1 h 2 min 5 s", the way Teams itself shows call and meeting lengths. */
    static String duration(long seconds) {
        long hours = seconds / 3600;
        long minutes = seconds % 3600 / 60;
        long rest = seconds % 60;
        List<String> parts = new ArrayList<>();
        if (hours > 0) {
            parts.add(hours + " h");
        }
        if (minutes > 0) {
            parts.add(minutes + " min");
        }
        if (rest > 0 || parts.isEmpty()) {
            parts.add(rest + " s");
        }
        return String.join(" ", parts);
    }

    private static String truncate(String note) {
        return TextLimit.UTF16_UNITS.truncate(note, MAX_NOTE_LENGTH);
    }

    /** "no_result" reads "No result". */
    private static String humanize(String value) {
        String words = value.replace('_', ' ').strip();
        return words.isEmpty() ? value : Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }

    /** The event's run, or an empty one so that a missing run renders like a run without details. */
    private static Event.Run run(Event event) {
        return event.run().orElseGet(() -> new Event.Run(JsonValue.EMPTY_JSON_OBJECT));
    }

    private static JsonObject card(Card card) {
        JsonArrayBuilder body = JSON.createArrayBuilder();
        body.add(textBlock(card.heading).add("size", "Large").add("weight", "Bolder").add("color", card.color)
                .add("style", "heading"));
        card.subtitle.ifPresent(subtitle -> body.add(textBlock(subtitle).add("isSubtle", true).add("spacing", "None")));
        card.texts.forEach(text -> body.add(textBlock(text)));
        if (!card.facts.isEmpty()) {
            JsonArrayBuilder facts = JSON.createArrayBuilder();
            card.facts.forEach(fact -> facts.add(JSON.createObjectBuilder()
                    .add("title", fact.title())
                    .add("value", fact.value())));
            body.add(JSON.createObjectBuilder().add("type", "FactSet").add("facts", facts));
        }
        if (!card.feedback.isEmpty()) {
            body.add(textBlock("Feedback").add("weight", "Bolder").add("separator", true));
            card.feedback.forEach(note -> {
                JsonArrayBuilder items = JSON.createArrayBuilder()
                        .add(textBlock(note.worker()).add("weight", "Bolder"));
                if (!note.text().isEmpty()) {
                    items.add(textBlock(note.text()).add("spacing", "None"));
                }
                body.add(JSON.createObjectBuilder().add("type", "Container").add("items", items));
            });
        }
        if (card.moreNotes > 0) {
            body.add(textBlock(card.moreNotes + " more " + (card.moreNotes == 1 ? "note" : "notes")
                    + " in Rainforest").add("isSubtle", true));
        }
        JsonObjectBuilder content = JSON.createObjectBuilder()
                .add("type", "AdaptiveCard")
                .add("$schema", SCHEMA)
                .add("version", VERSION)
                // Teams renders cards narrow unless asked; facts and notes read better across the channel's width.
                .add("msteams", JSON.createObjectBuilder().add("width", "Full"))
                .add("body", body);
        if (!card.links.isEmpty()) {
            JsonArrayBuilder actions = JSON.createArrayBuilder();
            card.links.forEach(link -> actions.add(JSON.createObjectBuilder()
                    .add("type", "Action.OpenUrl")
                    .add("title", link.title())
                    .add("url", link.url())));
            content.add("actions", actions);
        }
        return content.build();
    }

    private static JsonObjectBuilder textBlock(String text) {
        return JSON.createObjectBuilder().add("type", "TextBlock").add("text", text).add("wrap", true);
    }

    /** Collects a card's parts in display order. Not thread-safe: one per rendering. */
    private static final class Card {
        private final String color;
        private final String heading;
        private final Optional<String> subtitle;
        private final List<String> texts = new ArrayList<>();
        private final List<Fact> facts = new ArrayList<>();
        private final List<Note> feedback = new ArrayList<>();
        private final List<Link> links = new ArrayList<>();
        private int moreNotes;

        Card(String color, String heading, Optional<String> subtitle) {
            this.color = color;
            this.heading = heading;
            this.subtitle = subtitle.map(text -> TextLimit.UTF16_UNITS.truncate(text, MAX_FACT_LENGTH));
        }

        Card text(String text) {
            texts.add(text);
            return this;
        }

        Card fact(String title, String value) {
            facts.add(new Fact(title, TextLimit.UTF16_UNITS.truncate(value, MAX_FACT_LENGTH)));
            return this;
        }

        Card fact(String title, Optional<String> value) {
            value.ifPresent(present -> fact(title, present));
            return this;
        }

        Card feedback(String worker, String text) {
            feedback.add(new Note(TextLimit.UTF16_UNITS.truncate(worker, MAX_FACT_LENGTH), text));
            return this;
        }

        Card feedbackMore(int count) {
            moreNotes = count;
            return this;
        }

        /** Leaves the last note out, counting it among the notes not shown; false when there is none. */
        boolean dropLastNote() {
            if (feedback.isEmpty()) {
                return false;
            }
            feedback.removeLast();
            moreNotes++;
            return true;
        }

        Card link(String title, String url) {
            links.add(new Link(title, url));
            return this;
        }

        Card runLink(Event event) {
            event.frontendUrl().ifPresent(url -> link("View run", url));
            return this;
        }
    }

    private record Fact(String title, String value) {
    }

    private record Note(String worker, String text) {
    }

    private record Link(String title, String url) {
    }
}
