package com.rainforestqa.integrations.plugin.teams;

import com.rainforestqa.integrations.api.ErrorType;
import com.rainforestqa.integrations.api.Event;
import com.rainforestqa.integrations.api.Integration;
import com.rainforestqa.integrations.api.IntegrationContext;
import com.rainforestqa.integrations.api.IntegrationException;
import com.rainforestqa.integrations.api.OutboundRequest;
import com.rainforestqa.integrations.api.Outcome;
import com.rainforestqa.integrations.api.Settings;

import java.net.URI;
import java.util.Locale;

/**
 * Posts events to a Microsoft Teams channel through a Workflows webhook: setting {@code url}, the webhook URL of a
 * flow built on "When a Teams webhook request is received". The URL is signed and is itself the credential, so it is a
 * secret. Stateless, so one instance serves every thread.
 */
public final class TeamsIntegration implements Integration {
    static final String KEY = "microsoft_teams";
    static final String URL = "url";

    /** Called by {@link java.util.ServiceLoader}. */
    public TeamsIntegration() {
    }

    @Override
    public String key() {
        return KEY;
    }

    @Override
    public Outcome deliver(Event event, Settings settings, IntegrationContext context) {
        if (!TeamsCards.handles(event.type())) {
            return Outcome.skipped("Microsoft Teams has no card for " + event.type());
        }
        URI webhook = webhook(settings.requiredUrl(URL,
                "the URL of a Teams Workflows webhook (on logic.azure.com or environment.api.powerplatform.com)"));
        String message = TeamsCards.render(event).toString();
        TeamsReplies.check(context.http().send(OutboundRequest.post(webhook, message)));
        return Outcome.delivered();
    }

    // The URL is the secret: the message may not carry it.
    private static URI webhook(URI uri) {
        if (isOffice365Connector(uri)) {
            // Checked before sending: Microsoft is retiring these connectors, and a dead one may still answer 200.
            throw new IntegrationException(ErrorType.USER_CONFIGURATION_ERROR,
                    "setting \"url\" is an Office 365 connector webhook, which Microsoft has retired; in Teams, "
                            + "create a webhook with the Workflows app (template \"Post to a channel when a webhook "
                            + "request is received\") and use its URL instead");
        }
        return uri;
    }

    /**
     * Connector URLs: {@code <tenant>.webhook.office.com/webhookb2/...}, formerly
     * {@code outlook.office.com/webhook/...} or {@code outlook.office365.com/webhook/...}.
     */
    static boolean isOffice365Connector(URI uri) {
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        String path = uri.getRawPath() == null ? "" : uri.getRawPath().toLowerCase(Locale.ROOT);
        if (host.equals("webhook.office.com") || host.endsWith(".webhook.office.com")) {
            return true;
        }
        return (host.equals("outlook.office.com") || host.equals("outlook.office365.com"))
                && path.startsWith("/webhook");
    }
}
