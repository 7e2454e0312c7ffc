package com.rainforestqa.integrations.plugin.webhook;

import com.rainforestqa.integrations.api.ErrorType;
import com.rainforestqa.integrations.api.IntegrationException;
import com.rainforestqa.integrations.api.OutboundResponse;
import com.rainforestqa.integrations.api.StatusCodes;

/**
 * Reads the receiver's answer, following the delivery rules of Standard Webhooks: any 2xx is delivered, 410 means
 * the endpoint is gone, 429 and 5xx are worth a retry, and redirects are not followed. The receiver's body is carried
 * with the exception for the host to show (redacted), never repeated in the message: it is someone else's text.
 */
final class WebhookReplies {
    private WebhookReplies() {
    }

    /**
     * Checks that the receiver accepted the event.
     *
     * @param response the receiver's answer
     * @throws IntegrationException carrying the answer, when the receiver did not accept it
     */
    static void check(OutboundResponse response) {
        if (response.isSuccess()) {
            return;
        }
        int status = response.status();
        // A receiver that read the request and refused its content (400, 413, 422, ...) found a bug in it.
        throw new IntegrationException(StatusCodes.errorType(status),
                "The webhook endpoint answered " + status + ": " + hint(status), response);
    }

    private static String hint(int status) {
        if (status >= 300 && status < 400) {
            return "it redirects elsewhere, and redirects are not followed; set the URL to the final address";
        }
        return switch (status) {
            case 401, 403 -> "it refused the request; check the URL and the signing secret";
            case 404 -> "nothing is there; check the URL";
            case 405 -> "it does not accept POST requests; check the URL";
            case 410 -> "the endpoint is gone and asks not to be called again; update or remove the webhook";
            case 408, 425 -> "it timed out reading the request";
            case 429 -> "it is rate-limiting deliveries";
            default -> status >= 500 ? "it failed on its side" : "it refused the event";
        };
    }
}
