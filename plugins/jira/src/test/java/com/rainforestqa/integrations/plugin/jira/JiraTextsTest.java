package com.rainforestqa.integrations.plugin.jira;

import static com.rainforestqa.integrations.plugin.jira.JiraIntegrationTest.event;
import static org.assertj.core.api.Assertions.assertThat;

import com.rainforestqa.integrations.api.Event;

import org.junit.jupiter.api.Test;

class JiraTextsTest {

    @Test
    void longTitlesAreCutToJirasSummaryLimit() {
        String title = "x".repeat(300);

        IssueDraft draft = JiraTexts.draft(event(Event.RUN_TEST_FAILURE,
                "{\"run\": {}, \"failed_test\": {\"id\": 1, \"title\": \"" + title + "\"}, \"browser\": {}}"), "OPS");

        assertThat(draft.summary()).hasSize(JiraTexts.MAX_SUMMARY)
                .startsWith("Rainforest test failed: xxx").endsWith("x…");
    }

    @Test
    void summaryIsOneLine() {
        IssueDraft draft = JiraTexts.draft(event(Event.RUN_TEST_FAILURE,
                "{\"run\": {}, \"failed_test\": {\"id\": 1, \"title\": \"Log\\n in\"}, \"browser\": {}}"), "OPS");

        assertThat(draft.summary()).isEqualTo("Rainforest test failed: Log in");
    }

    @Test
    void idsWithSpacesMakeLabelsWithoutSpaces() {
        IssueDraft draft = JiraTexts.draft(event(Event.RUN_TEST_FAILURE,
                "{\"run\": {}, \"failed_test\": {\"id\": \" 12 a \"}, \"browser\": {}}"), "OPS");

        assertThat(draft.label()).isEqualTo("RfTest12-a");
    }

    @Test
    void idsWithAnyWhitespaceOrControlCharacterMakeLabelsJiraAccepts() {
        assertThat(JiraTexts.label(JiraTexts.TEST_LABEL, "1\u20032")).isEqualTo("RfTest1-2");
        assertThat(JiraTexts.label(JiraTexts.TEST_LABEL, "1\u001f2")).isEqualTo("RfTest1-2");
        assertThat(JiraTexts.label(JiraTexts.RUN_LABEL, "\u0000\u001f\u007f")).isEqualTo("RfRun-");
        assertThat(JiraTexts.label(JiraTexts.RUN_LABEL, "\u2003")).isEqualTo("RfRun");
    }

    @Test
    void idTooLongForALabelGetsADigestSoTheSameIdMakesTheSameLabelAndAnotherIdAnother() {
        String id = "7".repeat(100_000);

        String label = JiraTexts.label(JiraTexts.TEST_LABEL, id);

        assertThat(label).hasSize(JiraTexts.MAX_LABEL).matches("RfTest7{232}-[0-9a-f]{16}")
                .isEqualTo(JiraTexts.label(JiraTexts.TEST_LABEL, id))
                .isNotEqualTo(JiraTexts.label(JiraTexts.TEST_LABEL, id + "8"));
        assertThat(JiraTexts.label(JiraTexts.TEST_LABEL, "7".repeat(249))).isEqualTo("RfTest" + "7".repeat(249));
    }

    @Test
    void descriptionLongerThanJiraAllowsIsCutWithANote() {
        IssueDraft draft = JiraTexts.draft(event(Event.RUN_TEST_FAILURE,
                "{\"run\": {}, \"failed_test\": {\"id\": 1, \"title\": \"" + "\uD83D\uDE00".repeat(20_000)
                        + "\"}, \"browser\": {}}"), "OPS");

        assertThat(draft.description().length()).isLessThanOrEqualTo(JiraTexts.MAX_TEXT)
                .isGreaterThan(JiraTexts.MAX_TEXT - 30);
        assertThat(draft.description()).startsWith("The Rainforest test \"\uD83D\uDE00")
                .endsWith("\uD83D\uDE00\n\n(cut to Jira's limit)");
        assertThat(draft.summary()).endsWith("\uD83D\uDE00…");
    }

    @Test
    void missingFieldsAreLeftOutRatherThanShownEmpty() {
        IssueDraft draft = JiraTexts.draft(event(Event.RUN_TEST_FAILURE,
                "{\"run\": {}, \"failed_test\": {\"id\": 5}, \"browser\": {}}"), "OPS");

        assertThat(draft.summary()).isEqualTo("Rainforest test failed: test 5");
        assertThat(draft.description()).isEqualTo("The Rainforest test \"test 5\" failed.\n\nTest: test 5");
        assertThat(draft.comment()).isEqualTo("The test failed again.");
    }
}
