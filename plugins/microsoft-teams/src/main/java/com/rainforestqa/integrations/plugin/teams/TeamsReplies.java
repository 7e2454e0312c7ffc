package com.rainforestqa.integrations.plugin.teams;

import com.rainforestqa.integrations.api.ErrorType;
import com.rainforestqa.integrations.api.IntegrationException;
import com.rainforestqa.integrations.api.OutboundResponse;
import com.rainforestqa.integrations.api.StatusCodes;

/**
 * Reads a Workflows webhook's answer: 202 with an empty body when the flow accepted the card (the flow then runs on
 * its own, so any 2xx counts). The error bodies are carried with the exception for the host to show, not repeated in
 * the message.
 */
final class TeamsReplies {
    /** How Teams reports throttling in a body, sometimes without a 429 status. */
    static final String THROTTLED = "Microsoft Teams endpoint returned HTTP error 429";

    private TeamsReplies() {
    }

    /**
     * Checks that the webhook accepted the card.
     *
     * @param response the webhook's answer
     * @throws IntegrationException carrying the answer, when the card was not accepted
     */
    static void check(OutboundResponse response) {
        int status = response.status();
        // Checked before the status, because a throttled post may still come back as 200 with this text.
        if (response.body().contains(THROTTLED)) {
            throw failure(ErrorType.TRANSIENT, status, "Microsoft Teams is rate-limiting this webhook", response);
        }
        if (response.isSuccess()) {
            return;
        }
        switch (status) {
            case 400 -> throw failure(ErrorType.MISCONFIGURED_INTEGRATION, status,
                    "the Workflows webhook refused the card", response);
            case 401, 403 -> throw failure(ErrorType.USER_CONFIGURATION_ERROR, status,
                    "the Workflows webhook refused the request: its URL has expired or the flow is turned off; "
                            + "check the flow in Power Automate or create a new Workflows webhook", response);
            case 404, 410 -> throw failure(ErrorType.USER_CONFIGURATION_ERROR, status,
                    "the Workflows webhook does not exist: the flow was deleted or the URL is mistyped; "
                            + "create a new Workflows webhook", response);
            case 429 -> throw failure(ErrorType.TRANSIENT, status, "Microsoft Teams is rate-limiting this webhook",
                    response);
            default -> {
                ErrorType type = status < 400 || status == 405 ? ErrorType.USER_CONFIGURATION_ERROR
                        : StatusCodes.errorType(status);
                throw failure(type, status, switch (type) {
                    case TRANSIENT -> "Microsoft Teams failed on its side";
                    case MISCONFIGURED_INTEGRATION -> "Microsoft Teams refused the card";
                    // Webhooks answer directly: a redirect or other status means the URL is not a Workflows webhook.
                    case USER_CONFIGURATION_ERROR ->
                            "the URL does not lead to a Teams Workflows webhook; check the webhook URL";
                }, response);
            }
        }
    }

    private static IntegrationException failure(ErrorType type, int status, String hint, OutboundResponse response) {
        return new IntegrationException(type, "Microsoft Teams answered " + status + ": " + hint, response);
    }
}
