package com.rainforestqa.integrations.plugin.pivotaltracker;

import static java.util.Objects.requireNonNull;

import com.rainforestqa.integrations.api.ErrorType;
import com.rainforestqa.integrations.api.Event;
import com.rainforestqa.integrations.api.IntegrationException;
import com.rainforestqa.integrations.api.TextLimit;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The story an event calls for. The label ties repeated events to one story: {@code RfTest<test id>} for a failed
 * test, {@code RfRun<run id>} for a time-out, {@code Integration Test} for a configuration check.
 *
 * @param label the label that finds an earlier story for the same failure
 * @param name the story's name
 * @param description the story's description, with the links to Rainforest
 * @param comment the comment to add to a new story (the run's environment), when there is one
 */
record FailureStory(String label, String name, String description, Optional<String> comment) {
    static final String INTEGRATION_TEST_LABEL = "Integration Test";
    // Tracker accepts names up to 5,000 characters; titles from Rainforest are far shorter unless something is off.
    private static final int MAX_NAME = 500;

    FailureStory {
        requireNonNull(label, "label is null");
        requireNonNull(name, "name is null");
        requireNonNull(description, "description is null");
        requireNonNull(comment, "comment is null");
    }

    /**
     * The story for an event.
     *
     * @param event a {@code run_test_failure}, {@code webhook_timeout} or {@code integration_test} event
     * @return the story
     * @throws IntegrationException of type {@link ErrorType#MISCONFIGURED_INTEGRATION} when the event lacks the id
     *         its label needs
     * @throws IllegalArgumentException for any other event type
     */
    static FailureStory of(Event event) {
        Optional<Event.Run> run = event.run();
        Optional<String> runId = run.flatMap(Event.Run::id);
        String runName = runId.map(id -> "#" + id).orElse("") + run.flatMap(Event.Run::description)
                .map(text -> " (" + text + ")").orElse("");
        Optional<String> comment = run.flatMap(Event.Run::environment).map(env -> "Environment: " + env);
        return switch (event.type()) {
            case Event.RUN_TEST_FAILURE -> {
                Optional<Event.FailedTest> test = event.failedTest();
                String testId = test.flatMap(Event.FailedTest::id).orElseThrow(() -> missing("failed_test.id"));
                String title = test.flatMap(Event.FailedTest::title).orElse("#" + testId);
                List<String> lines = new ArrayList<>();
                lines.add("The Rainforest test \"" + title + "\" failed in run " + runName.strip() + ".");
                lines.add("");
                test.flatMap(Event.FailedTest::frontendUrl).ifPresent(url -> lines.add("Test: " + url));
                event.frontendUrl().ifPresent(url -> lines.add("Run: " + url));
                event.browser().ifPresent(browser -> lines.add("Browser: " + browser));
                yield new FailureStory("RfTest" + testId, name("Rainforest test failed: " + title),
                        String.join("\n", lines).strip(), comment);
            }
            case Event.WEBHOOK_TIMEOUT -> {
                String id = runId.orElseThrow(() -> missing("run.id"));
                List<String> lines = new ArrayList<>();
                lines.add("Rainforest run " + runName.strip() + " timed out waiting for your webhook.");
                lines.add("");
                event.frontendUrl().ifPresent(url -> lines.add("Run: " + url));
                yield new FailureStory("RfRun" + id, name("Rainforest run #" + id + " timed out waiting for the webhook"),
                        String.join("\n", lines).strip(), comment);
            }
            case Event.INTEGRATION_TEST -> new FailureStory(INTEGRATION_TEST_LABEL,
                    "Rainforest integration test",
                    "Rainforest filed this story to check your Pivotal Tracker integration. You can delete it.",
                    Optional.empty());
            default -> throw new IllegalArgumentException("no Pivotal Tracker story for " + event.type());
        };
    }

    private static String name(String name) {
        return TextLimit.UTF16_UNITS.truncate(name, MAX_NAME);
    }

    // Rainforest always sends these ids; without one there is no label to find the story by next time.
    private static IntegrationException missing(String field) {
        return new IntegrationException(ErrorType.MISCONFIGURED_INTEGRATION,
                "the event has no " + field + " to label the story with");
    }
}
