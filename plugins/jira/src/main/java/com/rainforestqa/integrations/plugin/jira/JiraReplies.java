package com.rainforestqa.integrations.plugin.jira;

import com.rainforestqa.integrations.api.ErrorType;
import com.rainforestqa.integrations.api.IntegrationException;
import com.rainforestqa.integrations.api.OutboundResponse;
import com.rainforestqa.integrations.api.StatusCodes;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads Jira's answers: success bodies as JSON objects, failures as {@link IntegrationException}s. */
final class JiraReplies {
    private JiraReplies() {
    }

    /**
     * Checks that Jira accepted a request and answered with a JSON object.
     *
     * @param response Jira's answer
     * @param action what was asked, for messages, such as {@code "the issue search"}
     * @param settings the settings used, to say what to check
     * @return the answer's body
     * @throws IntegrationException carrying the answer, when Jira did not accept the request
     */
    static JsonObject check(OutboundResponse response, String action, JiraSettings settings) {
        int status = response.status();
        String answered = "Jira answered " + status + " to " + action + ": ";
        if (response.isSuccess()) {
            return response.jsonObject().orElseThrow(() -> new IntegrationException(
                    ErrorType.USER_CONFIGURATION_ERROR,
                    answered + "not Jira's JSON; check that the Jira base URL is your Jira's address", response));
        }
        if (status == 401 || status == 403) {
            throw new IntegrationException(ErrorType.USER_CONFIGURATION_ERROR, answered + "authentication failed"
                    + (status == 403 ? " or the account may not do this in project " + settings.projectKey() : "")
                    + "; check " + settings.auth().whatToCheck(), response);
        }
        if (status == 404 || status == 410) {
            throw new IntegrationException(ErrorType.USER_CONFIGURATION_ERROR, answered
                    + "not found; check the Jira base URL and that project " + settings.projectKey() + " exists",
                    response);
        }
        if (StatusCodes.isRetryable(status)) {
            throw new IntegrationException(ErrorType.TRANSIENT, answered
                    + (status == 429 ? "Jira is rate-limiting these requests" : "Jira failed on its side"), response);
        }
        if (status >= 400) {
            throw new IntegrationException(ErrorType.MISCONFIGURED_INTEGRATION,
                    answered + "Jira refused the request" + errors(response).map(text -> ": " + text).orElse(""),
                    response);
        }
        // Jira's REST API answers directly; a redirect means the URL leads elsewhere, often to a login page.
        throw new IntegrationException(ErrorType.USER_CONFIGURATION_ERROR,
                answered + "a redirect; check that the Jira base URL is your Jira's address", response);
    }

    /**
     * Jira's own words from an error body ({@code {"errorMessages": [...], "errors": {"field": "message"}}}), so that
     * a user can see, say, that the labels field is missing from the project's create screen.
     */
    static Optional<String> errors(OutboundResponse response) {
        Optional<JsonObject> json = response.jsonObject();
        if (json.isEmpty()) {
            return Optional.empty();
        }
        List<String> parts = new ArrayList<>();
        for (JsonValue message : JsonTexts.array(json.get(), "errorMessages")) {
            if (message instanceof JsonString text && !text.getString().isBlank()) {
                parts.add(text.getString());
            }
        }
        if (json.get().get("errors") instanceof JsonObject errors) {
            for (Map.Entry<String, JsonValue> error : errors.entrySet()) {
                String text = error.getValue() instanceof JsonString string ? string.getString()
                        : error.getValue().toString();
                parts.add(error.getKey() + ": " + text);
            }
        }
        return parts.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", parts));
    }
}
