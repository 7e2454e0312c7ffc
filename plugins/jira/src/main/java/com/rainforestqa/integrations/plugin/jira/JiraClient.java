package com.rainforestqa.integrations.plugin.jira;

import static java.util.Objects.requireNonNull;

import com.rainforestqa.integrations.api.ErrorType;
import com.rainforestqa.integrations.api.IntegrationException;
import com.rainforestqa.integrations.api.OutboundHttp;
import com.rainforestqa.integrations.api.OutboundRequest;
import com.rainforestqa.integrations.api.OutboundResponse;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

import java.util.List;
import java.util.Optional;

/**
 * The three Jira calls the plugin makes: search for an open issue, create an issue, comment on one. Creating and
 * commenting use {@code /rest/api/2}, whose plain-text description works on Cloud and Data Center alike; searching
 * differs (see {@link SearchApi}).
 */
final class JiraClient {
    /** Looked up once: each {@code Json.create...} call would look the provider up again. */
    private static final JsonProvider JSON = JsonProvider.provider();

    private final JiraSettings settings;
    private final OutboundHttp http;

    JiraClient(JiraSettings settings, OutboundHttp http) {
        this.settings = requireNonNull(settings, "settings is null");
        this.http = requireNonNull(http, "http is null");
    }

    /**
     * Jira's two ways to search by JQL. Cloud removed the old endpoint (410 Gone); Data Center never had the new one.
     */
    enum SearchApi {
        CLOUD("/rest/api/3/search/jql"),
        DATA_CENTER("/rest/api/2/search");

        final String path;

        SearchApi(String path) {
            this.path = path;
        }

        /** The endpoint to try first, then the other: a site's host name only suggests which kind of Jira it is. */
        static List<SearchApi> order(JiraSettings settings) {
            return settings.isCloud() ? List.of(CLOUD, DATA_CENTER) : List.of(DATA_CENTER, CLOUD);
        }
    }

    /**
     * The key of an open issue in the project carrying the label.
     *
     * @return the key (or id), or empty when there is none
     */
    Optional<String> findOpen(String label) {
        String jql = "project = " + quote(settings.projectKey()) + " AND labels = " + quote(label)
                + " AND statusCategory != Done ORDER BY created DESC";
        String body = JSON.createObjectBuilder()
                .add("jql", jql)
                .add("maxResults", 1)
                .add("fields", JSON.createArrayBuilder().add("summary"))
                .build().toString();
        List<SearchApi> order = SearchApi.order(settings);
        OutboundResponse response = post(order.getFirst().path, body);
        if (response.status() == 404 || response.status() == 410) {
            response = post(order.getLast().path, body);
        }
        JsonObject answer = JiraReplies.check(response, "the issue search", settings);
        for (JsonValue issue : JsonTexts.array(answer, "issues")) {
            if (issue instanceof JsonObject found) {
                Optional<String> key = JsonTexts.text(found, "key").or(() -> JsonTexts.text(found, "id"));
                if (key.isPresent()) {
                    return key;
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Creates a {@code Bug} from the draft.
     *
     * @return the new issue's key
     */
    String create(IssueDraft draft) {
        String body = JSON.createObjectBuilder().add("fields", JSON.createObjectBuilder()
                .add("project", JSON.createObjectBuilder().add("key", settings.projectKey()))
                .add("issuetype", JSON.createObjectBuilder().add("name", "Bug"))
                .add("summary", draft.summary())
                .add("description", draft.description())
                .add("labels", JSON.createArrayBuilder().add(draft.label())))
                .build().toString();
        JsonObject answer = JiraReplies.check(post("/rest/api/2/issue", body), "creating the issue", settings);
        return JsonTexts.text(answer, "key").or(() -> JsonTexts.text(answer, "id"))
                .orElseThrow(() -> new IntegrationException(ErrorType.USER_CONFIGURATION_ERROR,
                        "Jira's answer to creating the issue named no issue; check that the Jira base URL is your "
                                + "Jira's address"));
    }

    /** Adds a comment to an issue. */
    void comment(String issueKey, String text) {
        String body = JSON.createObjectBuilder().add("body", text).build().toString();
        String path = "/rest/api/2/issue/" + OAuth1Signer.encode(issueKey) + "/comment";
        JiraReplies.check(post(path, body), "commenting on " + issueKey, settings);
    }

    private OutboundResponse post(String path, String json) {
        return http.send(settings.auth().authorize(OutboundRequest.post(settings.uri(path), json)));
    }

    /** A JQL string literal: double quotes, with quotes and backslashes escaped. */
    static String quote(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
