package com.rainforestqa.integrations.plugin.hipchat;

import com.rainforestqa.integrations.api.ErrorType;
import com.rainforestqa.integrations.api.IntegrationException;
import com.rainforestqa.integrations.api.OutboundResponse;
import com.rainforestqa.integrations.api.StatusCodes;

/**
 * Reads HipChat's answer to a room notification: 204 (or 200 from some servers) when sent. HipChat's error bodies
 * ({@code {"error": {"code", "message", "type"}}}) are carried with the exception for the host to show, not repeated
 * in the message.
 */
final class HipChatReplies {
    private HipChatReplies() {
    }

    /**
     * Checks that HipChat accepted the notification.
     *
     * @param response HipChat's answer
     * @throws IntegrationException carrying the answer, when HipChat did not accept it
     */
    static void check(OutboundResponse response) {
        if (response.isSuccess()) {
            return;
        }
        int status = response.status();
        ErrorType type;
        String hint;
        switch (status) {
            case 401 -> {
                type = ErrorType.USER_CONFIGURATION_ERROR;
                hint = "the room token is invalid or expired; check room_token";
            }
            case 403 -> {
                type = ErrorType.USER_CONFIGURATION_ERROR;
                hint = "the token may not send notifications to this room; use the room's notification token";
            }
            case 404 -> {
                type = ErrorType.USER_CONFIGURATION_ERROR;
                hint = "the room does not exist; check room_id";
            }
            case 429 -> {
                type = ErrorType.TRANSIENT;
                hint = "HipChat is rate-limiting this room";
            }
            default -> {
                if (StatusCodes.isRetryable(status)) {
                    type = ErrorType.TRANSIENT;
                    hint = "HipChat failed on its side";
                } else if (status >= 400) {
                    type = ErrorType.MISCONFIGURED_INTEGRATION;
                    hint = "HipChat refused the notification";
                } else {
                    // The API answers directly; a redirect means the operator's api-url points elsewhere.
                    type = ErrorType.MISCONFIGURED_INTEGRATION;
                    hint = "the answer did not come from a HipChat API; check plugins.hip_chat.api-url";
                }
            }
        }
        throw new IntegrationException(type, "HipChat answered " + status + ": " + hint, response);
    }
}
