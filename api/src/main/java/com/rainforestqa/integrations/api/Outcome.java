package com.rainforestqa.integrations.api;

import static java.util.Objects.requireNonNull;

/**
 * What became of a delivery that did not fail.
 *
 * @param status whether the target received something
 * @param detail a short human-readable note, empty when there is nothing to add
 */
public record Outcome(Status status, String detail) {

    /** Whether the target received something. */
    public enum Status {
        /** The target accepted what the integration sent. */
        DELIVERED,
        /** The integration chose to send nothing for this event (for example a passed run to an alerting tool). */
        SKIPPED
    }

    private static final Outcome DELIVERED = new Outcome(Status.DELIVERED, "");

    /**
     * Checks the components.
     *
     * @throws NullPointerException if a component is null
     */
    public Outcome {
        requireNonNull(status, "status is null");
        requireNonNull(detail, "detail is null");
    }

    /**
     * The target accepted the event.
     *
     * @return the delivered outcome
     */
    public static Outcome delivered() {
        return DELIVERED;
    }

    /**
     * Nothing was sent for this event, on purpose.
     *
     * @param reason why nothing was sent, shown to the user
     * @return a skipped outcome
     */
    public static Outcome skipped(String reason) {
        return new Outcome(Status.SKIPPED, reason);
    }
}
