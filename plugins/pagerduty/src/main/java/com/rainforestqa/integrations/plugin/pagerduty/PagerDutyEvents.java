package com.rainforestqa.integrations.plugin.pagerduty;

import com.rainforestqa.integrations.api.Event;
import com.rainforestqa.integrations.api.TextLimit;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Turns Rainforest events into PagerDuty Events API v2 bodies.
 *
 * <p>Each alert has a stable {@code dedup_key}, so PagerDuty folds repeats into the alert already open instead of
 * paging again: a failing test is one alert ({@code rainforest-test-<id>}) for as long as it keeps failing, and a run
 * that errors, times out or fails is one alert ({@code rainforest-run-<id>}). The summary is the one line on-call
 * people read first; everything else goes into {@code custom_details} and {@code links}.
 */
final class PagerDutyEvents {
    /** Looked up once: each {@code Json.create...} call would look the provider up again. */
    private static final JsonProvider JSON = JsonProvider.provider();

    static final String CLIENT = "Rainforest QA";
    /** PagerDuty's own limits. */
    static final int MAX_SUMMARY = 1024;
    static final int MAX_DEDUP_KEY = 255;
    /**
     * The UTF-8 bytes of feedback an event carries in its details: half of PagerDuty's 512 KB limit on an event, so
     * the other details always fit; the notes beyond it are counted instead.
     */
    static final int MAX_FEEDBACK_BYTES = 256 * 1024;

    private static final Set<String> TYPES = Set.of(Event.RUN_COMPLETION, Event.RUN_ERROR, Event.WEBHOOK_TIMEOUT,
            Event.RUN_TEST_FAILURE, Event.INTEGRATION_TEST);

    private PagerDutyEvents() {
    }

    /**
     * Whether there is an alert for this event type.
     *
     * @param type the event type
     * @return true for the five event types of today
     */
    static boolean handles(String type) {
        return TYPES.contains(type);
    }

    /**
     * Whether a {@code run_completion} is worth an alert: its result is {@code failed}, or it counts failed tests.
     *
     * @param event the event
     * @return true when the run failed
     */
    static boolean isFailure(Event event) {
        Event.Run run = run(event);
        return run.result().filter("failed"::equalsIgnoreCase).isPresent()
                || run.failedTests().orElse(0) > 0;
    }

    /**
     * The trigger for a run event.
     *
     * @param event a {@code run_completion}, {@code run_error}, {@code webhook_timeout} or {@code run_test_failure}
     * @param routingKey the service's integration key
     * @param severity {@code critical}, {@code error}, {@code warning} or {@code info}
     * @param now when the event happened
     * @return the body to enqueue
     * @throws IllegalArgumentException for other event types
     */
    static JsonObject trigger(Event event, String routingKey, String severity, Instant now) {
        Event.Run run = run(event);
        String summary = switch (event.type()) {
            case Event.RUN_TEST_FAILURE -> testSummary(event);
            case Event.RUN_ERROR -> "Rainforest " + runName(run) + " errored"
                    + run.errorReason().map(reason -> ": " + reason).orElse("");
            case Event.WEBHOOK_TIMEOUT -> "Rainforest " + runName(run) + " timed out waiting for a webhook";
            case Event.RUN_COMPLETION -> "Rainforest " + runName(run) + " failed" + counts(run);
            default -> throw new IllegalArgumentException("no PagerDuty alert for event type " + event.type());
        };
        Optional<String> dedupKey = event.type().equals(Event.RUN_TEST_FAILURE)
                ? event.failedTest().flatMap(Event.FailedTest::id).map(id -> "rainforest-test-" + id)
                        .or(() -> runDedupKey(event))
                : runDedupKey(event);

        JsonObjectBuilder payload = JSON.createObjectBuilder()
                .add("summary", TextLimit.UTF16_UNITS.truncate(summary, MAX_SUMMARY))
                .add("source", run.environment().orElse(CLIENT))
                .add("severity", severity)
                .add("timestamp", now.toString())
                .add("class", event.type())
                .add("custom_details", details(event));

        JsonObjectBuilder body = JSON.createObjectBuilder()
                .add("routing_key", routingKey)
                .add("event_action", "trigger");
        // Without a run or test id PagerDuty picks a key itself: better one alert too many than unrelated ones merged.
        dedupKey.ifPresent(key -> body.add("dedup_key", limit(key)));
        body.add("payload", payload);
        JsonArrayBuilder links = JSON.createArrayBuilder();
        event.frontendUrl().ifPresent(url -> links.add(link(url, "View run in Rainforest")));
        event.failedTest().flatMap(Event.FailedTest::frontendUrl)
                .ifPresent(url -> links.add(link(url, "View test in Rainforest")));
        JsonValue linkArray = links.build();
        if (!linkArray.asJsonArray().isEmpty()) {
            body.add("links", linkArray);
        }
        body.add("client", CLIENT);
        event.frontendUrl().ifPresent(url -> body.add("client_url", url));
        return body.build();
    }

    /**
     * The trigger of a configuration check: severity {@code info}, so that a check does not page anyone urgently.
     *
     * @param event the {@code integration_test} event; its id, when sent, makes the key the same on retries
     * @param routingKey the service's integration key
     * @param now when the check happened
     * @return the body to enqueue
     */
    static JsonObject integrationTest(Event event, String routingKey, Instant now) {
        String dedupKey = "rainforest-integration-test-" + event.eventId().orElse(Long.toString(now.toEpochMilli()));
        return JSON.createObjectBuilder()
                .add("routing_key", routingKey)
                .add("event_action", "trigger")
                .add("dedup_key", limit(dedupKey))
                .add("payload", JSON.createObjectBuilder()
                        .add("summary", "Rainforest QA integration test: this alert resolves itself at once")
                        .add("source", CLIENT)
                        .add("severity", "info")
                        .add("timestamp", now.toString())
                        .add("class", Event.INTEGRATION_TEST))
                .add("client", CLIENT)
                .build();
    }

    /**
     * A resolve for an alert triggered earlier.
     *
     * @param routingKey the key the trigger used; PagerDuty drops a resolve sent with another
     * @param dedupKey the trigger's key
     * @return the body to enqueue
     */
    static JsonObject resolve(String routingKey, String dedupKey) {
        return JSON.createObjectBuilder()
                .add("routing_key", routingKey)
                .add("event_action", "resolve")
                .add("dedup_key", dedupKey)
                .build();
    }

    /** "Rainforest test failed: Login (test #12) in run #7 (Nightly)". */
    private static String testSummary(Event event) {
        Optional<Event.FailedTest> test = event.failedTest();
        Optional<String> title = test.flatMap(Event.FailedTest::title);
        Optional<String> id = test.flatMap(Event.FailedTest::id);
        String name = title.map(value -> value + id.map(testId -> " (test #" + testId + ")").orElse(""))
                .orElse(id.map(testId -> "test #" + testId).orElse("a test"));
        return "Rainforest test failed: " + name + " in " + runName(run(event));
    }

    /** "run #7 (Nightly)", "run #7", "run (Nightly)" or "a run". */
    private static String runName(Event.Run run) {
        Optional<String> description = run.description();
        return run.id().map(id -> "run #" + id + description.map(name -> " (" + name + ")").orElse(""))
                .orElse(description.map(name -> "run (" + name + ")").orElse("a run"));
    }

    /** ": 1 of 4 tests failed", or nothing without the counts. */
    private static String counts(Event.Run run) {
        OptionalLong failed = run.failedTests();
        OptionalLong total = run.totalTests();
        if (failed.isEmpty()) {
            return "";
        }
        long count = failed.getAsLong();
        return total.isPresent()
                ? ": " + count + " of " + tests(total.getAsLong()) + " failed"
                : ": " + tests(count) + " failed";
    }

    private static String tests(long count) {
        return count + (count == 1 ? " test" : " tests");
    }

    private static Optional<String> runDedupKey(Event event) {
        return event.run().flatMap(Event.Run::id).map(id -> "rainforest-run-" + id);
    }

    /** What PagerDuty shows under "Custom details": flat keys read best there. */
    private static JsonObject details(Event event) {
        Event.Run run = run(event);
        JsonObjectBuilder details = JSON.createObjectBuilder();
        run.id().ifPresent(value -> details.add("run_id", value));
        run.description().ifPresent(value -> details.add("run", value));
        run.environment().ifPresent(value -> details.add("environment", value));
        run.result().ifPresent(value -> details.add("result", value));
        run.errorReason().ifPresent(value -> details.add("error_reason", value));
        run.timeTakenSeconds().ifPresent(value -> details.add("time_taken_seconds", value));
        run.totalTests().ifPresent(value -> details.add("total_tests", value));
        run.passedTests().ifPresent(value -> details.add("passed_tests", value));
        run.failedTests().ifPresent(value -> details.add("failed_tests", value));
        run.noResultTests().ifPresent(value -> details.add("no_result_tests", value));
        event.failedTest().ifPresent(test -> {
            test.id().ifPresent(value -> details.add("failed_test_id", value));
            test.title().ifPresent(value -> details.add("failed_test", value));
        });
        event.browser().ifPresent(value -> details.add("browser", value));
        List<Event.Feedback> notes = event.feedback().stream()
                .filter(note -> note.workerName().isPresent() || note.note().isPresent())
                .toList();
        if (!notes.isEmpty()) {
            JsonArrayBuilder feedback = JSON.createArrayBuilder();
            int room = MAX_FEEDBACK_BYTES;
            for (int i = 0; i < notes.size(); i++) {
                Event.Feedback note = notes.get(i);
                String line = note.workerName().map(name -> note.note().map(text -> name + ": " + text).orElse(name))
                        .orElseGet(() -> note.note().orElseThrow());
                int size = TextLimit.UTF8_BYTES.length(line);
                if (size > room) {
                    int left = notes.size() - i;
                    feedback.add(left + (left == 1 ? " more note" : " more notes") + " in Rainforest");
                    break;
                }
                room -= size;
                feedback.add(line);
            }
            details.add("feedback", feedback);
        }
        event.frontendUrl().ifPresent(value -> details.add("run_url", value));
        return details.build();
    }

    private static JsonObject link(String href, String text) {
        return JSON.createObjectBuilder().add("href", href).add("text", text).build();
    }

    /** Keys are compared, never read, so they are cut without a visible mark. */
    private static String limit(String dedupKey) {
        return TextLimit.UTF16_UNITS.truncate(dedupKey, MAX_DEDUP_KEY, "");
    }

    /** The event's run, or an empty one so that a missing run renders like a run without details. */
    private static Event.Run run(Event event) {
        return event.run().orElseGet(() -> new Event.Run(JsonValue.EMPTY_JSON_OBJECT));
    }
}
