package com.rainforestqa.integrations.plugin.discord;

import com.rainforestqa.integrations.api.ErrorType;
import com.rainforestqa.integrations.api.Event;
import com.rainforestqa.integrations.api.Integration;
import com.rainforestqa.integrations.api.IntegrationContext;
import com.rainforestqa.integrations.api.IntegrationException;
import com.rainforestqa.integrations.api.OutboundRequest;
import com.rainforestqa.integrations.api.Outcome;
import com.rainforestqa.integrations.api.Settings;

import java.net.URI;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Posts events to a Discord channel through a channel webhook: setting {@code url}, the webhook URL, which is a
 * secret (its last segment is the token that lets anyone post). Stateless, so one instance serves every thread.
 */
public final class DiscordIntegration implements Integration {
    static final String KEY = "discord";
    static final String URL = "url";

    /**
     * {@code /api/webhooks/{id}/{token}}, optionally with an API version. The {@code /slack} and {@code /github}
     * variants expect other bodies, so they are refused here rather than by a puzzling 400 from Discord.
     */
    private static final String DISCORD_URL = "the channel's webhook URL, from its settings (Integrations, Webhooks, "
            + "Copy Webhook URL): https://discord.com/api/webhooks/...";
    private static final Pattern WEBHOOK_PATH = Pattern.compile("/api(/v\\d+)?/webhooks/[^/]+/[^/]+/?");

    /** Called by {@link java.util.ServiceLoader}. */
    public DiscordIntegration() {
    }

    @Override
    public String key() {
        return KEY;
    }

    @Override
    public Outcome deliver(Event event, Settings settings, IntegrationContext context) {
        if (!DiscordEmbeds.handles(event.type())) {
            return Outcome.skipped("Discord has no message for " + event.type());
        }
        URI webhook = webhook(settings.requiredUrl(URL, DISCORD_URL));
        String message = DiscordEmbeds.render(event, context.clock().instant().truncatedTo(ChronoUnit.SECONDS))
                .toString();
        DiscordReplies.check(context.http().send(OutboundRequest.post(webhook, message)));
        return Outcome.delivered();
    }

    /**
     * The webhook URL with {@code wait=true}, so that Discord answers only after checking the message and a bad
     * payload is reported instead of silently dropped. Other query parameters, such as {@code thread_id}, stay.
     */
    static URI webhook(URI uri) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getRawPath() == null || !WEBHOOK_PATH.matcher(uri.getRawPath()).matches()) {
            throw notAWebhook();
        }
        List<String> query = new ArrayList<>();
        if (uri.getRawQuery() != null) {
            for (String parameter : uri.getRawQuery().split("&")) {
                if (!parameter.isEmpty() && !parameter.equals("wait") && !parameter.startsWith("wait=")) {
                    query.add(parameter);
                }
            }
        }
        query.add("wait=true");
        // The fragment is never sent anyway; the raw parts keep the user's encoding as it was.
        return URI.create(scheme + "://" + uri.getRawAuthority() + uri.getRawPath() + "?" + String.join("&", query));
    }

    // The URL holds the token: neither the message nor a cause may carry it.
    private static IntegrationException notAWebhook() {
        return new IntegrationException(ErrorType.USER_CONFIGURATION_ERROR,
                "setting \"url\" is not a Discord webhook URL; expected " + DISCORD_URL);
    }
}
