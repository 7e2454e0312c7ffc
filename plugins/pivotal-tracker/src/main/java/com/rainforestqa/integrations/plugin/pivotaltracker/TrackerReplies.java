package com.rainforestqa.integrations.plugin.pivotaltracker;

import com.rainforestqa.integrations.api.ErrorType;
import com.rainforestqa.integrations.api.IntegrationException;
import com.rainforestqa.integrations.api.OutboundResponse;
import com.rainforestqa.integrations.api.StatusCodes;

/**
 * Reads Pivotal Tracker's status codes. Tracker answers a bad token with 403 ({@code invalid_authentication}) and an
 * unknown or hidden project with 404 ({@code unfound_resource}); its JSON error body is carried with the exception
 * for the host to show, not repeated in the message.
 */
final class TrackerReplies {
    private TrackerReplies() {
    }

    /**
     * Checks that Tracker accepted a request.
     *
     * @param response Tracker's answer
     * @param step what the request was, for the message (for example {@code "the story search"})
     * @throws IntegrationException carrying the answer, when Tracker did not accept it
     */
    static void check(OutboundResponse response, String step) {
        if (response.isSuccess()) {
            return;
        }
        int status = response.status();
        ErrorType type;
        String hint;
        if (status == 403) {
            type = ErrorType.USER_CONFIGURATION_ERROR;
            hint = "the API token was refused; check api_token";
        } else if (status == 404) {
            type = ErrorType.USER_CONFIGURATION_ERROR;
            hint = "the project does not exist or the token's owner cannot see it; check project_id";
        } else if (status == 429) {
            // A rate limit passes; retrying within the event's deadline may succeed.
            type = ErrorType.TRANSIENT;
            hint = "Pivotal Tracker is rate-limiting this token";
        } else if (StatusCodes.isRetryable(status)) {
            type = ErrorType.TRANSIENT;
            hint = "Pivotal Tracker failed on its side";
        } else if (status >= 400) {
            type = ErrorType.MISCONFIGURED_INTEGRATION;
            hint = "Pivotal Tracker refused the request";
        } else {
            // The API answers directly; a redirect means the operator's api-url points elsewhere.
            type = ErrorType.MISCONFIGURED_INTEGRATION;
            hint = "the answer did not come from the Pivotal Tracker API; check plugins.pivotal_tracker.api-url";
        }
        throw new IntegrationException(type, "Pivotal Tracker answered " + status + " to " + step + ": " + hint,
                response);
    }
}
