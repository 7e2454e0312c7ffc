package com.rainforestqa.integrations.plugin.slack;

import static java.util.Map.entry;

import com.rainforestqa.integrations.api.ErrorType;
import com.rainforestqa.integrations.api.IntegrationException;
import com.rainforestqa.integrations.api.OutboundResponse;
import com.rainforestqa.integrations.api.StatusCodes;

import java.util.Map;

/**
 * Reads a Slack webhook's answer. Slack answers 200 {@code ok}, or an error code as a plain-text body; the code says
 * more than the status, which Slack has not always kept stable for the same code.
 */
final class SlackReplies {
    private static final Map<String, Known> CODES = Map.ofEntries(
            entry("invalid_token", user("the webhook was revoked or is invalid; create a new incoming webhook")),
            entry("no_service", user("the webhook is disabled, removed or mistyped; check the webhook URL")),
            entry("no_service_id", user("the webhook is disabled, removed or mistyped; check the webhook URL")),
            entry("action_prohibited", user("the workspace's admins restrict this webhook")),
            entry("channel_not_found", user("the webhook's channel no longer exists")),
            entry("channel_is_archived", user("the webhook's channel is archived")),
            entry("user_not_found", user("the user the webhook posts to does not exist")),
            entry("posting_to_general_channel_denied", user("only admins may post to the workspace's general channel")),
            entry("no_team", user("the workspace no longer exists")),
            entry("team_disabled", user("the workspace is disabled")),
            entry("invalid_payload", bug("Slack could not read the message")),
            entry("no_text", bug("the message had no text")),
            entry("missing_text_or_fallback_or_attachments", bug("the message had no text")),
            entry("invalid_blocks", bug("the message's blocks were invalid")),
            entry("too_many_attachments", bug("the message had too many attachments")),
            entry("rollup_error", new Known(ErrorType.TRANSIENT, "Slack failed on its side")),
            entry("rate_limited", new Known(ErrorType.TRANSIENT, "Slack is rate-limiting this webhook")));

    private SlackReplies() {
    }

    /**
     * Checks that Slack accepted the message.
     *
     * @param response Slack's answer
     * @throws IntegrationException carrying the answer, when Slack did not accept the message
     */
    static void check(OutboundResponse response) {
        if (response.isSuccess()) {
            return;
        }
        int status = response.status();
        String code = response.body().strip();
        Known known = status == 429
                ? CODES.get("rate_limited")
                : CODES.getOrDefault(code, byStatus(status));
        // A known code is Slack's own word and safe to repeat; an unknown body is left to the carried response.
        String answered = "Slack answered " + status + (CODES.containsKey(code) ? " " + code : "");
        throw new IntegrationException(known.type(), answered + ": " + known.hint(), response);
    }

    private static Known byStatus(int status) {
        if (status < 400 || status == 405) {
            // Webhooks answer directly: a redirect or other status means the URL is not a Slack webhook.
            return user("the URL does not lead to a Slack webhook; check the webhook URL");
        }
        return switch (StatusCodes.errorType(status)) {
            case TRANSIENT -> new Known(ErrorType.TRANSIENT, "Slack failed on its side");
            case USER_CONFIGURATION_ERROR -> user("check the webhook URL");
            case MISCONFIGURED_INTEGRATION -> bug("Slack refused the message");
        };
    }

    private static Known user(String hint) {
        return new Known(ErrorType.USER_CONFIGURATION_ERROR, hint);
    }

    private static Known bug(String hint) {
        return new Known(ErrorType.MISCONFIGURED_INTEGRATION, hint);
    }

    private record Known(ErrorType type, String hint) {
    }
}
