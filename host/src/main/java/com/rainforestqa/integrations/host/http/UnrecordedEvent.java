package com.rainforestqa.integrations.host.http;

import static java.util.Objects.requireNonNull;

import com.rainforestqa.integrations.host.store.StoreException;

/** An event the store could not record: answered 503 naming the event, so its caller can send it again. */
final class UnrecordedEvent extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String eventId;

    UnrecordedEvent(String eventId, StoreException cause) {
        super(cause.getMessage(), cause, false, false);
        this.eventId = requireNonNull(eventId, "eventId is null");
    }

    String eventId() {
        return eventId;
    }
}
