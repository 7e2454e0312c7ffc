package com.rainforestqa.integrations.plugin.discord;

import com.rainforestqa.integrations.api.ErrorType;
import com.rainforestqa.integrations.api.IntegrationException;
import com.rainforestqa.integrations.api.OutboundResponse;
import com.rainforestqa.integrations.api.StatusCodes;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;

import java.time.Duration;
import java.util.Optional;

/**
 * Reads Discord's answer to a webhook execution. With {@code wait=true} Discord answers 200 with the created message;
 * errors come as {@code {"message": ..., "code": ...}}, and a rate limit as {@code {"retry_after": seconds}}.
 * Discord's own message and code are repeated to the user; they never contain the webhook's token.
 */
final class DiscordReplies {
    /** Discord's codes for a webhook that does not exist, and for a token that does not match it. */
    static final int UNKNOWN_WEBHOOK = 10015;
    static final int INVALID_WEBHOOK_TOKEN = 50027;

    private static final int MAX_MESSAGE = 200;
    private static final String RECREATE = "the webhook was deleted or its URL is mistyped; create a webhook in the "
            + "channel's settings (Integrations, Webhooks) and paste its URL";

    private DiscordReplies() {
    }

    /**
     * Checks that Discord accepted the message.
     *
     * @param response Discord's answer
     * @throws IntegrationException carrying the answer, when Discord did not accept the message
     */
    static void check(OutboundResponse response) {
        if (response.isSuccess()) {
            return;
        }
        int status = response.status();
        Optional<JsonObject> error = response.jsonObject();
        Optional<Integer> code = error.map(body -> body.get("code"))
                .filter(JsonNumber.class::isInstance).map(value -> ((JsonNumber) value).intValue());
        String answered = "Discord answered " + status + error.flatMap(DiscordReplies::describe).orElse("") + ": ";

        if (status == 429) {
            String hint = "Discord is rate-limiting this webhook";
            Optional<Duration> wait = error.flatMap(DiscordReplies::retryAfter);
            throw wait.isPresent()
                    ? new IntegrationException(answered + hint, response, wait.get())
                    : new IntegrationException(ErrorType.TRANSIENT, answered + hint, response);
        }
        if (StatusCodes.isRetryable(status)) {
            throw new IntegrationException(ErrorType.TRANSIENT, answered + "Discord failed on its side", response);
        }
        if (status == 401 || status == 404 || code.filter(value -> value == INVALID_WEBHOOK_TOKEN).isPresent()) {
            throw new IntegrationException(ErrorType.USER_CONFIGURATION_ERROR, answered + RECREATE, response);
        }
        if (status == 403) {
            throw new IntegrationException(ErrorType.USER_CONFIGURATION_ERROR,
                    answered + "the webhook may not post to its channel; check the channel's permissions", response);
        }
        if (status >= 400) {
            throw new IntegrationException(ErrorType.MISCONFIGURED_INTEGRATION,
                    answered + "Discord refused the message", response);
        }
        // Webhooks answer directly; a redirect means the URL leads somewhere else.
        throw new IntegrationException(ErrorType.USER_CONFIGURATION_ERROR,
                answered + "the URL redirects, so it is not a Discord webhook URL; copy the URL from the webhook's "
                        + "settings", response);
    }

    /** " (Unknown Webhook, code 10015)", from whatever parts Discord sent. */
    private static Optional<String> describe(JsonObject error) {
        Optional<String> message = error.get("message") instanceof JsonString text && !text.getString().isBlank()
                ? Optional.of(EmbedBudget.cut(text.getString().strip(), MAX_MESSAGE))
                : Optional.empty();
        Optional<String> code = error.get("code") instanceof JsonNumber number
                ? Optional.of("code " + number.intValue())
                : Optional.empty();
        if (message.isEmpty() && code.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(" (" + message.map(text -> text + code.map(c -> ", " + c).orElse(""))
                .orElseGet(code::orElseThrow) + ")");
    }

    /** {@code retry_after} is in seconds, often fractional; rounded up so the retry is never early. */
    private static Optional<Duration> retryAfter(JsonObject error) {
        if (!(error.get("retry_after") instanceof JsonNumber number)) {
            return Optional.empty();
        }
        double seconds = number.doubleValue();
        if (!(seconds >= 0) || seconds > 86_400) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofMillis((long) Math.ceil(seconds * 1000)));
    }
}
