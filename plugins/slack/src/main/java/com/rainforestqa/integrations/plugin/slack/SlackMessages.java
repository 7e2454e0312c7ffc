package com.rainforestqa.integrations.plugin.slack;

import com.rainforestqa.integrations.api.Event;
import com.rainforestqa.integrations.api.HumanDuration;
import com.rainforestqa.integrations.api.TextLimit;

import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonGenerator;

import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Turns an event into the JSON body of a Slack incoming-webhook message.
 *
 * <p>The message is one legacy attachment, because attachments give the colour bar that tells a passed run from a
 * failed one at a glance. Everything taken from the payload is escaped, so a description like {@code <!channel>}
 * cannot ping a whole channel. Nested fields may be absent: what is missing is left out.
 */
final class SlackMessages {
    /** Looked up once: each {@code Json.create...} call would look the provider up again. */
    private static final JsonProvider JSON = JsonProvider.provider();

    static final String GOOD = "good";
    static final String DANGER = "danger";
    static final String NO_ERROR_REASON =
            "No reason was given. If you'd like help debugging this, email help@rainforestqa.com.";
    static final String INTEGRATION_TEST_TEXT =
            "Your Slack integration with Rainforest works: this channel will be notified about your runs.";
    /**
     * The characters a message may hold: Slack cuts longer text silently, so feedback that does not fit is counted
     * rather than cut off mid-word by Slack.
     */
    static final int MAX_MESSAGE_CHARS = 40_000;
    /** One note is shown whole up to this length, Slack's limit on a section's text. */
    static final int MAX_NOTE_CHARS = 3_000;
    /** Kept free for the headline's link markup and the field that counts the notes left out. */
    private static final int RESERVE = 1_000;

    private static final Set<String> TYPES = Set.of(Event.RUN_COMPLETION, Event.RUN_ERROR, Event.WEBHOOK_TIMEOUT,
            Event.RUN_TEST_FAILURE, Event.INTEGRATION_TEST);

    private SlackMessages() {
    }

    /**
     * Whether there is a message for this event type.
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
     * @return the message's JSON text, {@code {"attachments": [...]}}
     * @throws IllegalArgumentException if {@link #handles} is false for the event's type
     */
    static String render(Event event) {
        Attachment attachment = switch (event.type()) {
            case Event.RUN_COMPLETION -> runCompletion(event);
            case Event.RUN_ERROR -> new Attachment(DANGER, headline(event, "has encountered an error."), List.of(
                    new Field("Error reason", escape(run(event).errorReason().orElse(NO_ERROR_REASON)), false)));
            case Event.WEBHOOK_TIMEOUT -> new Attachment(DANGER, headline(event,
                            "has timed out due to a webhook failure. "
                                    + "If you need a hand debugging it, email help@rainforestqa.com."),
                    environment(event).stream().toList());
            case Event.RUN_TEST_FAILURE -> runTestFailure(event);
            case Event.INTEGRATION_TEST ->
                    new Attachment(GOOD, new Headline(INTEGRATION_TEST_TEXT, INTEGRATION_TEST_TEXT), List.of());
            default -> throw new IllegalArgumentException("no Slack message for event type " + event.type());
        };
        // Written straight to text: building a JSON tree first and printing it cost twice as much per event.
        StringWriter text = new StringWriter(512);
        try (JsonGenerator json = JSON.createGenerator(text)) {
            json.writeStartObject().writeStartArray("attachments").writeStartObject()
                    .write("color", attachment.color())
                    .write("fallback", attachment.headline().plain())
                    .write("text", attachment.headline().slack());
            if (!attachment.fields().isEmpty()) {
                json.writeStartArray("fields");
                for (Field field : attachment.fields()) {
                    json.writeStartObject()
                            .write("title", field.title())
                            .write("value", field.value())
                            .write("short", field.isShort())
                            .writeEnd();
                }
                json.writeEnd();
            }
            json.writeEnd().writeEnd().writeEnd();
        }
        return text.toString();
    }

    private static Attachment runCompletion(Event event) {
        Event.Run run = run(event);
        Optional<String> result = run.result();
        boolean passed = result.filter("passed"::equalsIgnoreCase).isPresent();
        boolean failed = result.filter("failed"::equalsIgnoreCase).isPresent();
        String predicate = passed ? "has passed." : failed ? "has failed." : "is complete.";

        // Alternating run facts and test counts lays out best in Slack's two-column fields.
        List<Field> fields = new ArrayList<>();
        result.ifPresent(value -> fields.add(new Field("Result", escape(humanize(value)), true)));
        count(event, "Passed", run.passedTests(), "passed", "View passed tests").ifPresent(fields::add);
        run.timeTakenSeconds().stream().filter(seconds -> seconds >= 0)
                .forEach(seconds -> fields.add(new Field("Duration", HumanDuration.words(seconds), true)));
        count(event, "Failed", run.failedTests(), "failed", "View failed tests").ifPresent(fields::add);
        environment(event).ifPresent(fields::add);
        count(event, "No result", run.noResultTests(), "no_result", "View tests without a result")
                .ifPresent(fields::add);

        return new Attachment(passed ? GOOD : DANGER, headline(event, predicate), fields);
    }

    private static Attachment runTestFailure(Event event) {
        List<Field> fields = new ArrayList<>();
        event.failedTest().ifPresent(test -> {
            String label = escape(label("Test", test.id(), test.title()));
            fields.add(new Field("Failed test", test.frontendUrl().map(url -> link(url, label)).orElse(label), true));
        });
        environment(event).ifPresent(fields::add);
        event.browser().ifPresent(browser -> fields.add(new Field("Browser", escape(browser), true)));
        Headline headline = headline(event, "has a failed test.");
        int room = MAX_MESSAGE_CHARS - RESERVE - headline.slack().length() - headline.plain().length()
                - fields.stream().mapToInt(field -> field.title().length() + field.value().length()).sum();
        int left = 0;
        for (Event.Feedback note : event.feedback()) {
            if (note.workerName().isPresent() || note.note().isPresent()) {
                Field field = new Field(note.workerName().map(name -> "Feedback from " + escape(name))
                        .orElse("Feedback"), escape(TextLimit.UTF16_UNITS.truncate(note.note().orElse(""),
                        MAX_NOTE_CHARS)), false);
                int size = field.title().length() + field.value().length();
                if (left > 0 || size > room) {
                    left++;
                } else {
                    room -= size;
                    fields.add(field);
                }
            }
        }
        if (left > 0) {
            fields.add(new Field("More feedback", left + (left == 1 ? " more note" : " more notes") + " in Rainforest",
                    false));
        }
        return new Attachment(DANGER, headline, fields);
    }

    /** "Your Rainforest run (Run #12: Nightly) has failed.", with the run linked in the Slack version. */
    private static Headline headline(Event event, String predicate) {
        Event.Run run = run(event);
        String label = escape(label("Run", run.id(), run.description()));
        String linked = event.frontendUrl().map(url -> link(url, label)).orElse(label);
        return new Headline("Your Rainforest run (" + linked + ") " + predicate,
                "Your Rainforest run (" + label + ") " + predicate);
    }

    /** "Run #12: Nightly", "Run #12", or "Run: Nightly": an empty part leaves no stray separator. */
    private static String label(String noun, Optional<String> id, Optional<String> name) {
        return noun + id.map(value -> " #" + value).orElse("") + name.map(value -> ": " + value).orElse("");
    }

    private static Optional<Field> environment(Event event) {
        return run(event).environment().map(name -> new Field("Environment", escape(name), true));
    }

    /** "Passed: 8 (80%)" with a link to the run showing that group; no percentage without a total. */
    private static Optional<Field> count(Event event, String title, OptionalLong count, String group,
            String linkText) {
        if (count.isEmpty()) {
            return Optional.empty();
        }
        long value = count.getAsLong();
        OptionalLong total = run(event).totalTests();
        String percentage = total.isPresent() && total.getAsLong() > 0
                ? " (" + Math.round(value * 100.0 / total.getAsLong()) + "%)"
                : "";
        String link = event.frontendUrl()
                .map(url -> link(withQuery(url, "expandedGroups%5B%5D=" + group), linkText))
                .orElse("");
        return Optional.of(new Field(title + ": " + value + percentage, link, true));
    }

    /** The event's run, or an empty one so that a missing run renders like a run without details. */
    private static Event.Run run(Event event) {
        return event.run().orElseGet(() -> new Event.Run(JsonValue.EMPTY_JSON_OBJECT));
    }

    /** Slack link markup; the URL is escaped too, and a {@code |} in it would end the URL early. */
    private static String link(String url, String escapedText) {
        return "<" + escape(url).replace("|", "%7C") + "|" + escapedText + ">";
    }

    private static String withQuery(String url, String parameter) {
        int hash = url.indexOf('#');
        String base = hash < 0 ? url : url.substring(0, hash);
        String fragment = hash < 0 ? "" : url.substring(hash);
        return base + (base.contains("?") ? "&" : "?") + parameter + fragment;
    }

    /** "no_result" reads "No result". */
    private static String humanize(String value) {
        String words = value.replace('_', ' ').strip();
        return words.isEmpty() ? value : Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }

    /** Slack's formatting rules: only these three characters are control characters and must be escaped. */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** The same sentence with Slack markup, for the message, and without, for notifications. */
    private record Headline(String slack, String plain) {
    }

    private record Field(String title, String value, boolean isShort) {
    }

    /** The message's one attachment: colour bar, headline and fields (none are written when empty). */
    private record Attachment(String color, Headline headline, List<Field> fields) {
    }
}
