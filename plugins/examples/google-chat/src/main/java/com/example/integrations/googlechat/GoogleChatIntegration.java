package com.example.integrations.googlechat;

import com.rainforestqa.integrations.api.ErrorType;
import com.rainforestqa.integrations.api.Event;
import com.rainforestqa.integrations.api.Integration;
import com.rainforestqa.integrations.api.IntegrationContext;
import com.rainforestqa.integrations.api.IntegrationException;
import com.rainforestqa.integrations.api.OutboundRequest;
import com.rainforestqa.integrations.api.OutboundResponse;
import com.rainforestqa.integrations.api.Outcome;
import com.rainforestqa.integrations.api.Settings;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Posts events to a Google Chat space through its incoming webhook ({@code POST} of a message to the webhook URL,
 * which carries the space's key and token and is therefore secret). Setting {@code format} picks a card (the
 * default) or plain text. Stateless: one instance serves every thread.
 */
public final class GoogleChatIntegration implements Integration {
    private final GoogleChatMessages messages = GoogleChatMessages.load();

    /** Called by {@link java.util.ServiceLoader}. */
    public GoogleChatIntegration() {
    }

    @Override
    public String key() {
        return "google_chat";
    }

    @Override
    public Outcome deliver(Event event, Settings settings, IntegrationContext context) {
        URI webhook = webhook(settings.required("url"));
        String format = settings.optional("format").orElse("card");
        String body = switch (format) {
            case "card" -> messages.card(event).toString();
            case "text" -> messages.text(event).toString();
            default -> throw new IntegrationException(ErrorType.USER_CONFIGURATION_ERROR,
                    "setting \"format\" must be card or text, not \"" + format + "\"");
        };
        check(context.http().send(OutboundRequest.post(webhook, body)));
        return Outcome.delivered();
    }

    // Never put the URL in a message: it is the secret.
    private static URI webhook(String url) {
        try {
            URI uri = new URI(url.strip());
            if (uri.getHost() != null && ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // Reported below, without the URL.
        }
        throw new IntegrationException(ErrorType.MISCONFIGURED_INTEGRATION, "setting \"url\" is not an absolute "
                + "https URL; expected a Google Chat webhook URL such as https://chat.googleapis.com/v1/spaces/...");
    }

    /** Google Chat answers errors as {@code {"error": {"code", "message", "status"}}}. */
    private static void check(OutboundResponse response) {
        int status = response.status();
        if (response.isSuccess()) {
            return;
        }
        if (status == 429 || status >= 500) {
            // Retried by the host, after Retry-After when Google sends one.
            throw new IntegrationException(ErrorType.TRANSIENT, "Google Chat answered " + status, response);
        }
        boolean badWebhook = status == 401 || status == 403 || status == 404
                || (status == 400 && response.body().contains("API key"));
        if (badWebhook) {
            throw new IntegrationException(ErrorType.USER_CONFIGURATION_ERROR, "Google Chat refused the webhook ("
                    + status + "); check that the webhook still exists in the space and copy its URL again", response);
        }
        throw new IntegrationException(ErrorType.MISCONFIGURED_INTEGRATION,
                "Google Chat refused the message (" + status + ")", response);
    }
}
