package com.rainforestqa.integrations.api;

import static java.util.Objects.requireNonNull;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One event from Rainforest: its type, its optional id, and its payload.
 *
 * <p>The host has checked that the payload holds every top-level key the event type requires; nested fields may
 * still be absent, so the typed views below return {@link Optional}s and integrations render what is there.
 *
 * @param type the event type, one of the constants below or a newer type from the host's catalogue
 * @param eventId the id Rainforest gave the event, or one the host made for an event sent without one; unique per
 *        event and the same on every attempt, queued ones included. The host always sets it; empty only for events
 *        a plugin's own tests build
 * @param payload the payload as received
 */
public record Event(String type, Optional<String> eventId, JsonObject payload) {

    /** A run finished, passed or failed. Payload: {@code run}. */
    public static final String RUN_COMPLETION = "run_completion";
    /** A run could not be completed. Payload: {@code run} with {@code error_reason}. */
    public static final String RUN_ERROR = "run_error";
    /** A run's webhook did not answer in time. Payload: {@code run}. */
    public static final String WEBHOOK_TIMEOUT = "webhook_timeout";
    /** A test failed in a run. Payload: {@code run}, {@code failed_test}, {@code browser}, optional {@code feedback}. */
    public static final String RUN_TEST_FAILURE = "run_test_failure";
    /** A user checks a new configuration. Empty payload; every integration handles it. */
    public static final String INTEGRATION_TEST = "integration_test";

    /**
     * Checks the components.
     *
     * @throws NullPointerException if a component is null
     */
    public Event {
        requireNonNull(type, "type is null");
        requireNonNull(eventId, "eventId is null");
        requireNonNull(payload, "payload is null");
    }

    /**
     * The link to the run in Rainforest's web app (top-level {@code frontend_url}).
     *
     * @return the URL, or empty when not sent
     */
    public Optional<String> frontendUrl() {
        return JsonText.text(payload, "frontend_url");
    }

    /**
     * The run the event is about.
     *
     * @return the run, or empty for events without one (such as {@link #INTEGRATION_TEST})
     */
    public Optional<Run> run() {
        return JsonText.object(payload, "run").map(Run::new);
    }

    /**
     * The test that failed, for {@link #RUN_TEST_FAILURE}.
     *
     * @return the failed test, or empty when not sent
     */
    public Optional<FailedTest> failedTest() {
        return JsonText.object(payload, "failed_test").map(FailedTest::new);
    }

    /**
     * The browser the test failed in, for {@link #RUN_TEST_FAILURE}.
     *
     * @return the browser's description (for example {@code "Chrome 120"}), or empty when not sent
     */
    public Optional<String> browser() {
        return JsonText.object(payload, "browser").flatMap(browser -> JsonText.text(browser, "description"))
                .or(() -> JsonText.text(payload, "browser"));
    }

    /**
     * Testers' notes on a failed test, in the order sent. Entries that are not objects are left out.
     *
     * @return the notes, empty when none were sent
     */
    public List<Feedback> feedback() {
        if (!(payload.get("feedback") instanceof JsonArray array)) {
            return List.of();
        }
        List<Feedback> notes = new ArrayList<>();
        for (JsonValue element : array) {
            if (element instanceof JsonObject note) {
                notes.add(new Feedback(JsonText.text(note, "worker_name"), JsonText.text(note, "note")));
            }
        }
        return List.copyOf(notes);
    }

    /**
     * A view of the payload's {@code run} object.
     *
     * @param json the {@code run} object as received
     */
    public record Run(JsonObject json) {
        /**
         * Checks the component.
         *
         * @throws NullPointerException if json is null
         */
        public Run {
            requireNonNull(json, "json is null");
        }

        /** @return the run's id, as text */
        public Optional<String> id() {
            return JsonText.text(json, "id");
        }

        /** @return the run's description (its name), or empty when blank */
        public Optional<String> description() {
            return JsonText.text(json, "description").filter(text -> !text.isBlank());
        }

        /**
         * The environment's name. Rainforest sends either a name or an object with a {@code name}.
         *
         * @return the name, or empty when not sent
         */
        public Optional<String> environment() {
            return JsonText.object(json, "environment").flatMap(env -> JsonText.text(env, "name"))
                    .or(() -> JsonText.text(json, "environment"));
        }

        /** @return the run's result, for example {@code "passed"} or {@code "failed"} */
        public Optional<String> result() {
            return JsonText.text(json, "result");
        }

        /** @return why the run errored, or empty when not sent or blank */
        public Optional<String> errorReason() {
            return JsonText.text(json, "error_reason").filter(text -> !text.isBlank());
        }

        /** @return how long the run took, in seconds */
        public OptionalLong timeTakenSeconds() {
            return JsonText.number(json, "time_taken");
        }

        /** @return the number of tests in the run */
        public OptionalLong totalTests() {
            return JsonText.number(json, "total_tests");
        }

        /** @return the number of tests that passed */
        public OptionalLong passedTests() {
            return JsonText.number(json, "total_passed_tests");
        }

        /** @return the number of tests that failed */
        public OptionalLong failedTests() {
            return JsonText.number(json, "total_failed_tests");
        }

        /** @return the number of tests without a result */
        public OptionalLong noResultTests() {
            return JsonText.number(json, "total_no_result_tests");
        }
    }

    /**
     * A view of the payload's {@code failed_test} object.
     *
     * @param json the {@code failed_test} object as received
     */
    public record FailedTest(JsonObject json) {
        /**
         * Checks the component.
         *
         * @throws NullPointerException if json is null
         */
        public FailedTest {
            requireNonNull(json, "json is null");
        }

        /** @return the test's id, as text */
        public Optional<String> id() {
            return JsonText.text(json, "id");
        }

        /** @return the test's title */
        public Optional<String> title() {
            return JsonText.text(json, "title");
        }

        /** @return the link to the test in Rainforest's web app */
        public Optional<String> frontendUrl() {
            return JsonText.text(json, "frontend_url");
        }
    }

    /**
     * One tester's note on a failed test.
     *
     * @param workerName who wrote it, when known
     * @param note what they wrote, when given
     */
    public record Feedback(Optional<String> workerName, Optional<String> note) {
        /**
         * Checks the components.
         *
         * @throws NullPointerException if a component is null
         */
        public Feedback {
            requireNonNull(workerName, "workerName is null");
            requireNonNull(note, "note is null");
        }
    }
}
