package com.rainforestqa.integrations.plugin.github;

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
import java.util.Locale;
import java.util.Optional;

/**
 * Writes the issues and comments for each event in GitHub Flavored Markdown: a sentence saying what happened, the
 * facts as a list with links to the test and the run, and testers' feedback. Text from the event (titles, names,
 * notes) is escaped, so that it shows as written and cannot mention users, link issues or break the layout.
 */
final class IssueTexts {
    /** Long titles are cut here: GitHub's limit is not documented, and a title is read at a glance anyway. */
    static final int MAX_TITLE = 200;
    /** GitHub refuses issue and comment bodies longer than this many characters. */
    static final int MAX_BODY = 65_536;
    static final String TEST_LABEL = "rainforest-test-";
    static final String RUN_LABEL = "rainforest-run-";
    static final String INTEGRATION_TEST_LABEL = "rainforest-integration-test";
    static final String SUPPORT = "Rainforest support at help@rainforestqa.com";

    // Inline characters that Markdown, HTML or GitHub's references (@mentions, #123) act on. Block markers such as
    // '-' or '1.' are left alone: event text never starts a line here, so escaping them would only add clutter.
    private static final String MARKDOWN_SPECIAL = "\\`*_[]<>#|~@&";

    private IssueTexts() {
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
     * @param repository the repository issues go to, {@code owner/name}, for the integration check's text
     * @throws IntegrationException of type {@link ErrorType#MISCONFIGURED_INTEGRATION} when the event lacks the id its
     *         label is made of: without it an open issue cannot be found
     * @throws IllegalArgumentException for an event type the plugin does not handle
     */
    static IssueDraft draft(Event event, String repository) {
        return switch (event.type()) {
            case Event.RUN_TEST_FAILURE -> testFailure(event);
            case Event.WEBHOOK_TIMEOUT -> webhookTimeout(event);
            case Event.INTEGRATION_TEST -> integrationTest(repository);
            default -> throw new IllegalArgumentException("no GitHub issue for " + event.type());
        };
    }

    private static IssueDraft testFailure(Event event) {
        Optional<Event.FailedTest> test = event.failedTest();
        String testId = test.flatMap(Event.FailedTest::id)
                .orElseThrow(() -> missing("failed_test.id", "the failed test"));
        String title = test.flatMap(Event.FailedTest::title).map(IssueTexts::oneLine).filter(text -> !text.isEmpty())
                .orElse("test " + testId);
        Optional<String> runId = event.run().flatMap(Event.Run::id);

        List<String> facts = new ArrayList<>();
        facts.add(fact("Test", link(title, test.flatMap(Event.FailedTest::frontendUrl))));
        List<String> occurrence = runFacts(event);
        event.browser().ifPresent(browser -> occurrence.add(fact("Browser", escape(browser))));
        facts.addAll(occurrence);

        String body = paragraphs(
                "The Rainforest test **" + escape(title) + "** failed"
                        + runId.map(id -> " in run " + escape(id) + ".").orElse("."),
                String.join("\n", facts),
                feedback(event),
                "_Filed by Rainforest. While this issue is open, later failures of this test are added to it as "
                        + "comments._");
        String comment = paragraphs(
                "The test failed again" + runId.map(id -> ", in run " + escape(id) + ".").orElse("."),
                String.join("\n", occurrence),
                feedback(event));
        return new IssueDraft(label(TEST_LABEL, testId), title("Rainforest test failed: " + title), body(body),
                body(comment));
    }

    private static IssueDraft webhookTimeout(Event event) {
        Optional<Event.Run> run = event.run();
        String runId = run.flatMap(Event.Run::id).orElseThrow(() -> missing("run.id", "the run"));
        Optional<String> name = run.flatMap(Event.Run::description).map(IssueTexts::oneLine);
        String body = paragraphs(
                "Rainforest run " + escape(runId) + name.map(text -> " (" + escape(text) + ")").orElse("")
                        + " timed out: the webhook Rainforest calls before the run did not answer in time, "
                        + "so the run could not go ahead.",
                String.join("\n", runFacts(event)),
                "Check that the webhook configured for this environment is up and answers Rainforest's call. "
                        + "For help, contact " + SUPPORT + ".");
        String comment = paragraphs("Run " + escape(runId) + " timed out again.", String.join("\n", runFacts(event)));
        return new IssueDraft(label(RUN_LABEL, runId),
                title("Rainforest run " + runId + " timed out" + name.map(text -> ": " + text).orElse("")),
                body(body), body(comment));
    }

    private static IssueDraft integrationTest(String repository) {
        return new IssueDraft(INTEGRATION_TEST_LABEL, "Rainforest integration check",
                "Rainforest created this issue to check its GitHub Issues integration, and it works: failed tests "
                        + "and webhook time-outs will be filed as issues in " + escape(repository)
                        + ". You can close this issue.",
                "Rainforest checked its GitHub Issues integration again, and it still works.");
    }

    /** The run's link, description and environment, one list item each, as far as they were sent. */
    private static List<String> runFacts(Event event) {
        Optional<Event.Run> run = event.run();
        List<String> facts = new ArrayList<>();
        Optional<String> runId = run.flatMap(Event.Run::id);
        if (runId.isPresent() || event.frontendUrl().isPresent()) {
            facts.add(fact("Run", link(runId.orElse("the run"), event.frontendUrl())));
        }
        run.flatMap(Event.Run::description).ifPresent(text -> facts.add(fact("Run description", escape(text))));
        run.flatMap(Event.Run::environment).ifPresent(env -> facts.add(fact("Environment", escape(env))));
        return facts;
    }

    private static String feedback(Event event) {
        List<String> lines = new ArrayList<>();
        for (Event.Feedback note : event.feedback()) {
            if (note.note().isPresent() && !note.note().get().isBlank()) {
                lines.add("- " + note.workerName().map(name -> "**" + escape(name) + ":** ").orElse("")
                        + escape(note.note().get()));
            }
        }
        return lines.isEmpty() ? "" : "#### Tester feedback\n\n" + String.join("\n", lines);
    }

    private static String fact(String name, String markdown) {
        return "- **" + name + ":** " + markdown;
    }

    /**
     * A Markdown link when the URL is a plain http(s) URL; otherwise the text alone, since a link to anything else
     * (a {@code javascript:} URL, say) is not Rainforest's to offer.
     */
    static String link(String text, Optional<String> url) {
        String label = escape(text);
        Optional<String> target = url.map(String::strip)
                .filter(value -> value.toLowerCase(Locale.ROOT).startsWith("https://")
                        || value.toLowerCase(Locale.ROOT).startsWith("http://"))
                .filter(value -> value.chars().noneMatch(c -> c <= ' ' || c == '<' || c == '>' || c == 0x7f));
        // Parentheses would end the link destination early; percent-encoded they mean the same URL.
        return target.map(value -> "[" + label + "](" + value.replace("(", "%28").replace(")", "%29") + ")")
                .orElse(label);
    }

    /**
     * Text from the event as inline Markdown that shows exactly as written: one line, with every character that
     * Markdown or GitHub's autolinking acts on escaped by a backslash.
     */
    static String escape(String text) {
        String line = oneLine(text);
        StringBuilder escaped = new StringBuilder(line.length() + 16);
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (MARKDOWN_SPECIAL.indexOf(c) >= 0) {
                escaped.append('\\');
            }
            escaped.append(c);
        }
        return escaped.toString();
    }

    private static String oneLine(String text) {
        return text.replaceAll("\\s+", " ").strip();
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

    private static String title(String text) {
        String line = oneLine(text);
        return TextLimit.UTF16_UNITS.truncate(line, MAX_TITLE);
    }

    /**
     * A body GitHub accepts: one longer than its limit (a huge title or feedback from the event) is cut, with a note
     * saying so, rather than refused.
     */
    static String body(String markdown) {
        return TextLimit.UTF16_UNITS.truncate(markdown, MAX_BODY, "\n\n_(cut to GitHub's limit)_");
    }

    /**
     * The label for an event: the prefix and the id. Labels are matched exactly by the search, so ids become
     * lower-case letters, digits and '-' (real ids are numbers). An id too long for GitHub's labels keeps its start
     * and gets a digest of the whole id, so that the same id always finds its issue and two long ids differ.
     */
    static String label(String prefix, String id) {
        String part = id.strip().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-");
        int room = GitHubSettings.MAX_LABEL - prefix.length();
        if (part.length() <= room) {
            return prefix + part;
        }
        String digest = HexFormat.of().formatHex(sha256(id)).substring(0, 16);
        return prefix + part.substring(0, room - digest.length() - 1) + "-" + digest;
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
                "the event has no " + field + ", so the plugin cannot tell whether GitHub already has an issue for "
                        + what);
    }
}
