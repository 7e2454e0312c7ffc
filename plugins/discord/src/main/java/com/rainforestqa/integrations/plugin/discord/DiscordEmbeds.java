package com.rainforestqa.integrations.plugin.discord;

import com.rainforestqa.integrations.api.Event;
import com.rainforestqa.integrations.api.HumanDuration;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Turns an event into the JSON body of a Discord webhook message: one embed, whose colour bar tells a passed run from
 * a failed one, whose title links to the run, and whose fields hold the details. Text from the payload is escaped,
 * because Discord reads Markdown in descriptions and fields. Testers' feedback that would break Discord's limits is
 * left out, and the embed says how many notes were left out.
 */
final class DiscordEmbeds {
    /** Looked up once: each {@code Json.create...} call would look the provider up again. */
    private static final JsonProvider JSON = JsonProvider.provider();

    static final int GREEN = 0x2ECC71;
    static final int RED = 0xE74C3C;
    static final String FOOTER = "Rainforest QA";
    static final String NO_ERROR_REASON =
            "No reason was given. If you'd like help debugging this, email help@rainforestqa.com.";
    static final String INTEGRATION_TEST_TEXT =
            "Your Discord integration with Rainforest works: this channel will be notified about your runs.";

    /** Room kept for the field that counts left-out notes: its name and a value such as "… (24 more notes)". */
    private static final int MORE_NOTES_RESERVE = 40;
    /** Below this, a note cut to fit says too little to be worth a field; it is counted as left out instead. */
    private static final int MIN_NOTE = 100;

    private static final Set<String> TYPES = Set.of(Event.RUN_COMPLETION, Event.RUN_ERROR, Event.WEBHOOK_TIMEOUT,
            Event.RUN_TEST_FAILURE, Event.INTEGRATION_TEST);

    private DiscordEmbeds() {
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
     * @param now when the message is sent, shown by Discord under the embed
     * @return the message, {@code {"embeds": [...]}}
     * @throws IllegalArgumentException if {@link #handles} is false for the event's type
     */
    static JsonObject render(Event event, Instant now) {
        Embed embed = switch (event.type()) {
            case Event.RUN_COMPLETION -> runCompletion(event);
            case Event.RUN_ERROR -> new Embed(title(event, "errored"), RED,
                    run(event).errorReason().map(DiscordEmbeds::escape).orElse(NO_ERROR_REASON),
                    environment(event).stream().toList(), List.of());
            case Event.WEBHOOK_TIMEOUT -> new Embed(title(event, "timed out"), RED,
                    "The run timed out because of a webhook failure. If you need a hand debugging it, email "
                            + "help@rainforestqa.com.", environment(event).stream().toList(), List.of());
            case Event.RUN_TEST_FAILURE -> runTestFailure(event);
            case Event.INTEGRATION_TEST ->
                    new Embed("Rainforest is connected", GREEN, INTEGRATION_TEST_TEXT, List.of(), List.of());
            default -> throw new IllegalArgumentException("no Discord message for event type " + event.type());
        };
        Optional<String> link = event.type().equals(Event.INTEGRATION_TEST)
                ? Optional.empty()
                : event.frontendUrl().filter(DiscordEmbeds::isWebUrl);
        return JSON.createObjectBuilder()
                .add("embeds", JSON.createArrayBuilder().add(embed.toJson(link, now)))
                .build();
    }

    private static Embed runCompletion(Event event) {
        Event.Run run = run(event);
        Optional<String> result = run.result();
        boolean passed = result.filter("passed"::equalsIgnoreCase).isPresent();
        boolean failed = result.filter("failed"::equalsIgnoreCase).isPresent();

        List<Field> fields = new ArrayList<>();
        result.ifPresent(value -> fields.add(new Field("Result", escape(humanize(value)), true)));
        environment(event).ifPresent(fields::add);
        run.timeTakenSeconds().stream().filter(seconds -> seconds >= 0)
                .forEach(seconds -> fields.add(new Field("Duration", HumanDuration.compact(seconds), true)));
        OptionalLong total = run.totalTests();
        total.ifPresent(value -> fields.add(new Field("Tests", Long.toString(value), true)));
        count("Passed", run.passedTests(), total).ifPresent(fields::add);
        count("Failed", run.failedTests(), total).ifPresent(fields::add);
        count("No result", run.noResultTests(), total).ifPresent(fields::add);
        return new Embed(title(event, passed ? "passed" : failed ? "failed" : "is complete"), passed ? GREEN : RED,
                "", fields, List.of());
    }

    private static Embed runTestFailure(Event event) {
        List<Field> fields = new ArrayList<>();
        event.failedTest().ifPresent(test -> {
            String label = escape(label("Test", test.id(), test.title()));
            fields.add(new Field("Failed test",
                    test.frontendUrl().filter(DiscordEmbeds::isWebUrl).map(url -> "[" + label + "](" + url + ")")
                            .orElse(label), false));
        });
        environment(event).ifPresent(fields::add);
        event.browser().ifPresent(browser -> fields.add(new Field("Browser", escape(browser), true)));
        List<Field> notes = new ArrayList<>();
        for (Event.Feedback note : event.feedback()) {
            if (note.note().filter(text -> !text.isBlank()).isPresent()) {
                notes.add(new Field(note.workerName().map(name -> "Feedback from " + escape(name)).orElse("Feedback"),
                        escape(note.note().orElseThrow().strip()), false));
            }
        }
        return new Embed(title(event, "has a failed test"), RED, "", fields, notes);
    }

    /** "Run #12 (Nightly) passed"; parts that are missing leave no stray punctuation. */
    private static String title(Event event, String predicate) {
        Event.Run run = run(event);
        return "Run" + run.id().map(id -> " #" + escape(id)).orElse("")
                + run.description().map(name -> " (" + escape(name) + ")").orElse("") + " " + predicate;
    }

    /** "Test #12: Login", "Test #12", or "Test: Login". */
    private static String label(String noun, Optional<String> id, Optional<String> name) {
        return noun + id.map(value -> " #" + value).orElse("") + name.map(value -> ": " + value).orElse("");
    }

    private static Optional<Field> environment(Event event) {
        return run(event).environment().map(name -> new Field("Environment", escape(name), true));
    }

    /** "3 (75%)"; no percentage without a total. */
    private static Optional<Field> count(String name, OptionalLong count, OptionalLong total) {
        if (count.isEmpty()) {
            return Optional.empty();
        }
        long value = count.getAsLong();
        String share = total.isPresent() && total.getAsLong() > 0
                ? " (" + Math.round(value * 100.0 / total.getAsLong()) + "%)"
                : "";
        return Optional.of(new Field(name, value + share, true));
    }

    /** The event's run, or an empty one so that a missing run renders like a run without details. */
    private static Event.Run run(Event event) {
        return event.run().orElseGet(() -> new Event.Run(JsonValue.EMPTY_JSON_OBJECT));
    }

    /** "no_result" reads "No result". */
    private static String humanize(String value) {
        String words = value.replace('_', ' ').strip();
        return words.isEmpty() ? value : Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }

    /** Discord refuses an embed whose URL is not http(s), so anything else is left out rather than sent. */
    private static boolean isWebUrl(String url) {
        return (url.startsWith("https://") || url.startsWith("http://")) && url.chars().noneMatch(c -> c <= ' ' || c == ')');
    }

    /**
     * A backslash before Discord's Markdown characters shows them as typed. Only characters that act mid-line are
     * escaped: every text here starts with a fixed word, so heading and list markers never begin a line.
     */
    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            if ("\\*_~`|>[]".indexOf(c) >= 0) {
                escaped.append('\\');
            }
            escaped.append(c);
        }
        return escaped.toString();
    }

    /**
     * One embed before it meets Discord's limits.
     *
     * @param title escaped Markdown, like every text here
     * @param color the colour bar
     * @param description escaped Markdown, empty for none
     * @param fields facts, always shown
     * @param notes testers' notes, shown while they fit
     */
    private record Embed(String title, int color, String description, List<Field> fields, List<Field> notes) {

        JsonObject toJson(Optional<String> link, Instant now) {
            EmbedBudget budget = new EmbedBudget();
            JsonObjectBuilder embed = JSON.createObjectBuilder();
            embed.add("title", budget.take(title, EmbedBudget.TITLE, 0));
            link.ifPresent(url -> embed.add("url", url));
            embed.add("color", color);
            budget.take(FOOTER, EmbedBudget.FOOTER, 0);

            JsonArrayBuilder array = JSON.createArrayBuilder();
            int count = 0;
            for (Field field : fields) {
                if (field.add(array, budget, MORE_NOTES_RESERVE)) {
                    count++;
                }
            }
            if (!description.isEmpty()) {
                embed.add("description", budget.take(description, EmbedBudget.DESCRIPTION, MORE_NOTES_RESERVE));
            }
            int shown = 0;
            for (Field note : notes) {
                boolean last = shown == notes.size() - 1;
                // The last note needs no reserve: nothing would be left out after it.
                int reserve = last ? 0 : MORE_NOTES_RESERVE;
                int slots = EmbedBudget.FIELDS - count - (last ? 0 : 1);
                if (slots < 1 || !budget.fits(note.name().length() + Math.min(note.value().length(), MIN_NOTE),
                        reserve)) {
                    break;
                }
                note.add(array, budget, reserve);
                count++;
                shown++;
            }
            int left = notes.size() - shown;
            if (left > 0) {
                String more = EmbedBudget.ELLIPSIS + " (" + left + " more " + (left == 1 ? "note" : "notes") + ")";
                new Field("More feedback", more, false).add(array, budget, 0);
            }
            if (count > 0 || left > 0) {
                embed.add("fields", array);
            }
            return embed.add("footer", JSON.createObjectBuilder().add("text", FOOTER))
                    .add("timestamp", now.toString())
                    .build();
        }
    }

    private record Field(String name, String value, boolean inline) {

        /** Adds the field cut to fit; false when not even a shortened form fits. */
        boolean add(JsonArrayBuilder array, EmbedBudget budget, int reserve) {
            if (!budget.fits(Math.min(name.length(), 2) + Math.min(value.length(), 2), reserve)) {
                return false;
            }
            String cutName = budget.take(name, EmbedBudget.FIELD_NAME, reserve + 1);
            String cutValue = budget.take(value, EmbedBudget.FIELD_VALUE, reserve);
            array.add(JSON.createObjectBuilder().add("name", cutName).add("value", cutValue).add("inline", inline));
            return true;
        }
    }
}
