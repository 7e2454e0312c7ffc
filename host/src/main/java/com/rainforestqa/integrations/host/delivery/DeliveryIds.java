package com.rainforestqa.integrations.host.delivery;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The ids of an event's deliveries, which tell a repeated event from a new one: one per event (id and type) and
 * integration configuration, since the same event to another channel is another delivery.
 */
final class DeliveryIds {
    private DeliveryIds() {
    }

    /**
     * @param request the event and its targets
     * @return one id per target, in request order
     */
    static List<String> of(EventRequest request) {
        List<String> ids = new ArrayList<>(request.targets().size());
        for (int i = 0; i < request.targets().size(); i++) {
            // A generated id has no earlier copy to recognise: its deliveries need unique ids, not digests, and ids
            // in the order they are made keep the store's index inserts at its end.
            ids.add(request.idGenerated() ? request.eventId() + "/" + i
                    : digest(request.eventId(), request.event().type(), request.targets().get(i)));
        }
        return ids;
    }

    /** A digest, so that the store never holds a setting's value in an id. */
    private static String digest(String eventId, String eventType, EventRequest.Target target) {
        StringBuilder text = new StringBuilder().append(eventId).append('\0').append(eventType).append('\0')
                .append(target.key());
        target.settings().keys().stream().sorted().forEach(setting -> text.append('\0').append(setting).append('=')
                .append(target.settings().json(setting).orElseThrow()));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(text.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
