package com.rainforestqa.integrations.host.delivery;

import com.rainforestqa.integrations.host.observe.HostMetrics;

import java.time.Duration;
import java.util.List;

/**
 * Tells operators what became of an event: each result counted in the {@link HostMetrics}, and one log line naming
 * every integration's outcome and time. Results carry no setting values, so neither does the line.
 */
final class OutcomeReport {
    /** The dispatcher's logger: the name operators' logging configuration and filters know the event lines by. */
    private static final System.Logger LOG = System.getLogger(Dispatcher.class.getName());

    private final HostMetrics metrics;

    OutcomeReport(HostMetrics metrics) {
        this.metrics = metrics;
    }

    /**
     * @param request the event
     * @param slots what each integration came to
     * @param results the results as the caller sees them, one per slot
     * @param total how long the whole event took
     */
    void report(EventRequest request, List<DeliverySlot> slots, List<DeliveryResult> results, Duration total) {
        for (int i = 0; i < results.size(); i++) {
            DeliveryResult result = results.get(i);
            metrics.delivery(result.key(), request.event().type(), result.status().json(), result.type());
            if (slots.get(i).tried()) {
                metrics.deliveryTime(result.key(), slots.get(i).took());
            }
        }
        LOG.log(System.Logger.Level.INFO, line(request, slots, results, total));
    }

    /**
     * The line, built as one string without the logger's parameter formatting, because it is written for every
     * event: {@code Event run_completion (id e-1): slack=delivered (212 ms), jira=failed/... (95 ms) in 214 ms}.
     */
    static String line(EventRequest request, List<DeliverySlot> slots, List<DeliveryResult> results,
                       Duration total) {
        StringBuilder line = new StringBuilder(64).append("Event ").append(request.event().type()).append(" (id ")
                .append(request.eventId()).append("): ");
        for (int i = 0; i < results.size(); i++) {
            DeliveryResult result = results.get(i);
            line.append(i == 0 ? "" : ", ").append(result.key()).append('=').append(result.status().json());
            result.type().ifPresent(type -> line.append('/').append(type));
            line.append(" (").append(slots.get(i).took().toMillis()).append(" ms)");
        }
        return line.append(" in ").append(total.toMillis()).append(" ms").toString();
    }
}
