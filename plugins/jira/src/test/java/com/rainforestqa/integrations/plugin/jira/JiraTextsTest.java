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
    void missingFieldsAreLeftOutRatherThanShownEmpty() {
        IssueDraft draft = JiraTexts.draft(event(Event.RUN_TEST_FAILURE,
                "{\"run\": {}, \"failed_test\": {\"id\": 5}, \"browser\": {}}"), "OPS");

        assertThat(draft.summary()).isEqualTo("Rainforest test failed: test 5");
        assertThat(draft.description()).isEqualTo("The Rainforest test \"test 5\" failed.\n\nTest: test 5");
        assertThat(draft.comment()).isEqualTo("The test failed again.");
    }
}
