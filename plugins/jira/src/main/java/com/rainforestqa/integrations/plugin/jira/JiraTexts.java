package com.rainforestqa.integrations.plugin.jira;

import com.rainforestqa.integrations.api.ErrorType;
import com.rainforestqa.integrations.api.Event;
import com.rainforestqa.integrations.api.IntegrationException;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Writes the issues and comments for each event. Plain text with one fact per line: Jira's v2 API takes it as wiki
 * markup, where bare URLs become links and lines starting with {@code * } become a list, on Cloud and Data Center.
 */
final class JiraTexts {
    /** Jira refuses longer summaries. */
    static final int MAX_SUMMARY = 255;
    static final String INTEGRATION_TEST_LABEL = "Integration-Test";
    static final String SUPPORT = "Rainforest support at help@rainforestqa.com";

    private JiraTexts() {
    }

    /** Whether the plugin files anything for this event type. */
    static boolean handles(String eventType) {
        return eventType.equals(Event.RUN_TEST_FAILURE) || eventType.equals(Event.WEBHOOK_TIMEOUT)
                || eventType.equals(Event.INTEGRATION_TEST);
    }

    /**
     * The draft for an event the plugin handles.
     *
     * @param event the event
     * @param projectKey the project issues go to, for the integration check's text
     * @throws IntegrationException of type {@link ErrorType#MISCONFIGURED_INTEGRATION} when the event lacks the id its
     *         label is made of: without it an open issue cannot be found
     * @throws IllegalArgumentException for an event type the plugin does not handle
     */
    static IssueDraft draft(Event event, String projectKey) {
        return switch (event.type()) {
            case Event.RUN_TEST_FAILURE -> testFailure(event);
            case Event.WEBHOOK_TIMEOUT -> webhookTimeout(event);
            case Event.INTEGRATION_TEST -> integrationTest(projectKey);
            default -> throw new IllegalArgumentException("no Jira issue for " + event.type());
        };
    }

    private static IssueDraft testFailure(Event event) {
        Optional<Event.FailedTest> test = event.failedTest();
        String testId = test.flatMap(Event.FailedTest::id)
                .orElseThrow(() -> missing("failed_test.id", "the failed test"));
        String title = test.flatMap(Event.FailedTest::title).orElse("test " + testId);
        Optional<Event.Run> run = event.run();
        String runId = run.flatMap(Event.Run::id).orElse("");

        List<String> facts = new ArrayList<>();
        facts.add("Test: " + title);
        test.flatMap(Event.FailedTest::frontendUrl).ifPresent(url -> facts.add("Test link: " + url));
        List<String> occurrence = runFacts(event);
        event.browser().ifPresent(browser -> occurrence.add("Browser: " + browser));
        facts.addAll(occurrence);

        String description = paragraphs(
                "The Rainforest test \"" + title + "\" failed" + (runId.isEmpty() ? "." : " in run " + runId + "."),
                String.join("\n", facts),
                feedback(event));
        String comment = paragraphs(
                "The test failed again" + (runId.isEmpty() ? "." : ", in run " + runId + "."),
                String.join("\n", occurrence),
                feedback(event));
        return new IssueDraft("RfTest" + labelPart(testId), summary("Rainforest test failed: " + title),
                description, comment);
    }

    private static IssueDraft webhookTimeout(Event event) {
        Optional<Event.Run> run = event.run();
        String runId = run.flatMap(Event.Run::id).orElseThrow(() -> missing("run.id", "the run"));
        Optional<String> name = run.flatMap(Event.Run::description);
        String description = paragraphs(
                "Rainforest run " + runId + name.map(text -> " (" + text + ")").orElse("")
                        + " timed out: the webhook Rainforest calls before the run did not answer in time, "
                        + "so the run could not go ahead.",
                String.join("\n", runFacts(event)),
                "Check that the webhook configured for this environment is up and answers Rainforest's call. "
                        + "For help, contact " + SUPPORT + ".");
        String comment = paragraphs("Run " + runId + " timed out again.", String.join("\n", runFacts(event)));
        return new IssueDraft("RfRun" + labelPart(runId),
                summary("Rainforest run " + runId + " timed out" + name.map(text -> ": " + text).orElse("")),
                description, comment);
    }

    private static IssueDraft integrationTest(String projectKey) {
        return new IssueDraft(INTEGRATION_TEST_LABEL, "Rainforest integration check",
                "Rainforest created this issue to check its Jira integration, and it works: failed tests and "
                        + "webhook time-outs will be filed as issues in project " + projectKey
                        + ". You can close this issue.",
                "Rainforest checked its Jira integration again, and it still works.");
    }

    /** The run's link, id, name and environment, one per line, as far as they were sent. */
    private static List<String> runFacts(Event event) {
        Optional<Event.Run> run = event.run();
        List<String> facts = new ArrayList<>();
        event.frontendUrl().ifPresent(url -> facts.add("Run: " + url));
        run.flatMap(Event.Run::id).ifPresent(id -> facts.add("Run id: " + id));
        run.flatMap(Event.Run::description).ifPresent(text -> facts.add("Run description: " + text));
        run.flatMap(Event.Run::environment).ifPresent(env -> facts.add("Environment: " + env));
        return facts;
    }

    private static String feedback(Event event) {
        List<String> lines = new ArrayList<>();
        for (Event.Feedback note : event.feedback()) {
            if (note.note().isPresent()) {
                lines.add("* " + note.workerName().map(name -> name + ": ").orElse("") + note.note().get());
            }
        }
        return lines.isEmpty() ? "" : "Tester feedback:\n" + String.join("\n", lines);
    }

    private static String paragraphs(String... parts) {
        List<String> present = new ArrayList<>();
        for (String part : parts) {
            if (!part.isBlank()) {
                present.add(part);
            }
        }
        return String.join("\n\n", present);
    }

    private static String summary(String text) {
        String oneLine = text.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= MAX_SUMMARY ? oneLine : oneLine.substring(0, MAX_SUMMARY - 1) + "…";
    }

    // Jira refuses labels with spaces; ids have none, but they arrive as text and are not ours to trust.
    private static String labelPart(String id) {
        return id.strip().replaceAll("\\s+", "-");
    }

    private static IntegrationException missing(String field, String what) {
        return new IntegrationException(ErrorType.MISCONFIGURED_INTEGRATION,
                "the event has no " + field + ", so the plugin cannot tell whether Jira already has an issue for "
                        + what);
    }
}
