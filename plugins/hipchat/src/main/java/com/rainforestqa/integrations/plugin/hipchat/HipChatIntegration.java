package com.rainforestqa.integrations.plugin.hipchat;

import com.rainforestqa.integrations.api.ErrorType;
import com.rainforestqa.integrations.api.Event;
import com.rainforestqa.integrations.api.Integration;
import com.rainforestqa.integrations.api.IntegrationContext;
import com.rainforestqa.integrations.api.IntegrationException;
import com.rainforestqa.integrations.api.OutboundRequest;
import com.rainforestqa.integrations.api.Outcome;
import com.rainforestqa.integrations.api.Settings;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Posts events to a HipChat room through the v2 room notification API: settings {@code room_id} (the room's id or
 * name) and {@code room_token} (a room notification token, a secret). The API's base URL is the operator's
 * {@code plugins.hip_chat.api-url}, by default HipChat Cloud's, which no longer answers: HipChat Cloud was retired
 * in February 2019, so only self-hosted servers can still receive these notifications. Stateless.
 */
public final class HipChatIntegration implements Integration {
    static final String KEY = "hip_chat";
    static final String ROOM_ID = "room_id";
    static final String ROOM_TOKEN = "room_token";
    static final String DEFAULT_API_URL = "https://api.hipchat.com";

    /** Called by {@link java.util.ServiceLoader}. */
    public HipChatIntegration() {
    }

    @Override
    public String key() {
        return KEY;
    }

    @Override
    public Outcome deliver(Event event, Settings settings, IntegrationContext context) {
        if (!HipChatNotifications.handles(event.type())) {
            return Outcome.skipped("HipChat has no notification for " + event.type());
        }
        URI notification = notificationUri(context.apiUrl(DEFAULT_API_URL), settings.required(ROOM_ID));
        String token = token(settings.required(ROOM_TOKEN));
        OutboundRequest request = OutboundRequest.post(notification, HipChatNotifications.render(event).toString())
                .withHeader("Authorization", "Bearer " + token);
        HipChatReplies.check(context.http().send(request));
        return Outcome.delivered();
    }

    // A room may be named rather than numbered ("QA Team"), so the id is encoded as one path segment.
    private static URI notificationUri(String apiUrl, String roomId) {
        String segment = URLEncoder.encode(roomId.strip(), StandardCharsets.UTF_8).replace("+", "%20");
        return URI.create(apiUrl + "/v2/room/" + segment + "/notification");
    }

    // A token with spaces or control characters could split the header; HipChat tokens are plain ASCII words.
    private static String token(String token) {
        String stripped = token.strip();
        for (int i = 0; i < stripped.length(); i++) {
            char c = stripped.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                throw new IntegrationException(ErrorType.USER_CONFIGURATION_ERROR,
                        "setting \"room_token\" is not a HipChat token: it holds spaces or unusual characters");
            }
        }
        return stripped;
    }
}
