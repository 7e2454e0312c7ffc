package com.rainforestqa.integrations.plugin.slack;

import com.rainforestqa.integrations.api.Event;
import com.rainforestqa.integrations.api.Integration;
import com.rainforestqa.integrations.api.IntegrationContext;
import com.rainforestqa.integrations.api.OutboundRequest;
import com.rainforestqa.integrations.api.Outcome;
import com.rainforestqa.integrations.api.Settings;

import java.net.URI;

/**
 * Posts events to a Slack channel through an incoming webhook: setting {@code url}, the webhook URL, which is a
 * secret (anyone holding it can post to the channel). Stateless, so one instance serves every thread.
 */
public final class SlackIntegration implements Integration {
    static final String KEY = "slack";
    static final String URL = "url";

    /** Called by {@link java.util.ServiceLoader}. */
    public SlackIntegration() {
    }

    @Override
    public String key() {
        return KEY;
    }

    @Override
    public Outcome deliver(Event event, Settings settings, IntegrationContext context) {
        if (!SlackMessages.handles(event.type())) {
            return Outcome.skipped("Slack has no message for " + event.type());
        }
        URI webhook = settings.requiredUrl(URL, "a Slack webhook URL such as https://hooks.slack.com/services/...");
        String message = SlackMessages.render(event);
        SlackReplies.check(context.http().send(OutboundRequest.post(webhook, message)));
        return Outcome.delivered();
    }
}
