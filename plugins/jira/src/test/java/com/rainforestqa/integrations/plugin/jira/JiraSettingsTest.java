package com.rainforestqa.integrations.plugin.jira;

import static com.rainforestqa.integrations.plugin.jira.JiraIntegrationTest.settings;
import static org.assertj.core.api.Assertions.assertThat;

import com.rainforestqa.integrations.plugin.jira.JiraClient.SearchApi;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JiraSettingsTest {

    @ParameterizedTest
    @CsvSource(textBlock = """
            https://acme.atlassian.net,           CLOUD,       DATA_CENTER
            https://ACME.Atlassian.NET/,          CLOUD,       DATA_CENTER
            https://jira.example.com,             DATA_CENTER, CLOUD
            https://atlassian.net.example.com,    DATA_CENTER, CLOUD
            http://10.0.0.5:8080/jira,            DATA_CENTER, CLOUD
            """)
    void searchStartsWithTheEndpointTheHostSuggests(String url, SearchApi first, SearchApi second) {
        JiraSettings jira = JiraSettings.from(settings(Map.of("jira_base_url", url, "project_key", "OPS",
                "personal_access_token", "t")), Clock.systemUTC(), () -> "n");

        assertThat(SearchApi.order(jira)).isEqualTo(List.of(first, second));
    }

    @ParameterizedTest
    @CsvSource(textBlock = """
            https://jira.example.com/jira/,  https://jira.example.com/jira/rest/api/2/issue
            ' https://jira.example.com// ',  https://jira.example.com/rest/api/2/issue
            """)
    void pathsAreAppendedToTheBaseUrlWithoutItsTrailingSlashes(String url, String expected) {
        JiraSettings jira = JiraSettings.from(settings(Map.of("jira_base_url", url, "project_key", " OPS ",
                "personal_access_token", "t")), Clock.systemUTC(), () -> "n");

        assertThat(jira.uri("/rest/api/2/issue")).hasToString(expected);
        assertThat(jira.projectKey()).isEqualTo("OPS");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            OPS          | "OPS"
            My "Proj"    | "My \\"Proj\\""
            back\\slash  | "back\\\\slash"
            """)
    void jqlStringsAreQuotedAndEscaped(String value, String expected) {
        assertThat(JiraClient.quote(value)).isEqualTo(expected);
    }

    @org.junit.jupiter.api.Test
    void toStringNamesTheWayToAuthenticateButNoSecret() {
        JiraSettings jira = JiraSettings.from(settings(Map.of("jira_base_url", "https://j.example.com",
                "project_key", "OPS", "email", "a@b.c", "api_token", "very-secret")), Clock.systemUTC(), () -> "n");

        assertThat(jira).hasToString("JiraSettings[https://j.example.com, OPS, Basic]");
    }
}
