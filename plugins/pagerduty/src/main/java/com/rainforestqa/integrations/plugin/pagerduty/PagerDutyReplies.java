package com.rainforestqa.integrations.plugin.pagerduty;

import com.rainforestqa.integrations.api.ErrorType;
import com.rainforestqa.integrations.api.IntegrationException;
import com.rainforestqa.integrations.api.OutboundResponse;
import com.rainforestqa.integrations.api.StatusCodes;

import java.util.Locale;

/**
 * Reads the Events API's answer: 202 {@code {"status": "success", ...}} when the event was queued (any 2xx counts).
 * The error body ({@code {"status": "invalid event", "message": ..., "errors": [...]}}) is carried with the exception
 * for the host to show, with the routing key removed; the message only says what to check.
 */
final class PagerDutyReplies {
    private PagerDutyReplies() {
    }

    /**
     * Checks that PagerDuty accepted the event.
     *
     * @param response PagerDuty's answer
     * @throws IntegrationException carrying the answer, when PagerDuty did not accept the event
     */
    static void check(OutboundResponse response) {
        if (response.isSuccess()) {
            return;
        }
        int status = response.status();
        if (status == 400) {
            // PagerDuty reports a wrong routing key as an invalid event too; only its errors tell the two apart.
            if (mentionsRoutingKey(response.body())) {
                throw failure(ErrorType.USER_CONFIGURATION_ERROR, status,
                        "the routing key is not valid; use the integration key of an Events API v2 integration "
                                + "on your PagerDuty service", response);
            }
            throw failure(ErrorType.MISCONFIGURED_INTEGRATION, status, "PagerDuty refused the event as invalid",
                    response);
        }
        if (status < 400) {
            // The Events API answers directly: a redirect or other status means the operator's api-url points
            // elsewhere.
            throw failure(ErrorType.MISCONFIGURED_INTEGRATION, status,
                    "the answer did not come from the PagerDuty Events API; check plugins.pagerduty.api-url", response);
        }
        // The routing key travels in the body, so no status names the user's settings: the rest is ours or theirs.
        if (StatusCodes.isRetryable(status)) {
            throw failure(ErrorType.TRANSIENT, status, status == 429 ? "PagerDuty is rate-limiting this routing key"
                    : "PagerDuty failed on its side", response);
        }
        throw failure(ErrorType.MISCONFIGURED_INTEGRATION, status, "PagerDuty refused the event", response);
    }

    private static boolean mentionsRoutingKey(String body) {
        String text = body.toLowerCase(Locale.ROOT);
        return text.contains("routing key") || text.contains("routing_key") || text.contains("integration key");
    }

    private static IntegrationException failure(ErrorType type, int status, String hint, OutboundResponse response) {
        return new IntegrationException(type, "PagerDuty answered " + status + ": " + hint, response);
    }
}
