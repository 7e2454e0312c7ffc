package com.rainforestqa.integrations.plugin.jira;

import com.rainforestqa.integrations.api.ErrorType;
import com.rainforestqa.integrations.api.Event;
import com.rainforestqa.integrations.api.IntegrationException;
import com.rainforestqa.integrations.api.TextLimit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Writes the issues and comments for each event. Plain text with one fact per line: Jira's v2 API takes it as wiki
 * markup, where bare URLs become links and lines starting with {@code * } become a list, on Cloud and Data Center.
 */
final class JiraTexts {
    /** Jira refuses longer summaries. */
    static final int MAX_SUMMARY = 255;
    /** Jira refuses longer labels. */
    static final int MAX_LABEL = 255;
    /** Jira's default limit on a text field (jira.text.field.character.limit): descriptions and comments. */
    static final int MAX_TEXT = 32_767;
    static final String TEST_LABEL = "RfTest";
    static final String RUN_LABEL = "RfRun";
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
        return new IssueDraft(label(TEST_LABEL, testId), summary("Rainforest test failed: " + title),
                text(description), text(comment));
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
        return new IssueDraft(label(RUN_LABEL, runId),
                summary("Rainforest run " + runId + " timed out" + name.map(text -> ": " + text).orElse("")),
                text(description), text(comment));
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
        return TextLimit.UTF16_UNITS.truncate(oneLine, MAX_SUMMARY);
    }

    /** A description or comment Jira accepts: a longer one (huge feedback from the event) is cut, with a note. */
    static String text(String text) {
        return TextLimit.UTF16_UNITS.truncate(text, MAX_TEXT, "\n\n(cut to Jira's limit)");
    }

    /**
     * The label for an event: the prefix and the id. Jira refuses labels with whitespace (in Java's sense, which is
     * wider than a regular expression's {@code \s}); ids have none, but they arrive as text and are not ours to
     * trust, so whitespace and control characters become '-'. An id too long for a label keeps its start and gets a
     * digest of the whole id, so that the same id always finds its issue and two long ids differ.
     */
    static String label(String prefix, String id) {
        String part = id.strip().replaceAll("[\\p{javaWhitespace}\\p{Cntrl}]+", "-");
        int room = MAX_LABEL - prefix.length();
        if (part.length() <= room) {
            return prefix + part;
        }
        String digest = HexFormat.of().formatHex(sha256(id)).substring(0, 16);
        return prefix + TextLimit.UTF16_UNITS.truncate(part, room - digest.length() - 1, "") + "-" + digest;
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static IntegrationException missing(String field, String what) {
        return new IntegrationException(ErrorType.MISCONFIGURED_INTEGRATION,
                "the event has no " + field + ", so the plugin cannot tell whether Jira already has an issue for "
                        + what);
    }
}
