package com.rainforestqa.integrations.host.delivery;

import static java.util.Objects.requireNonNull;

import com.rainforestqa.integrations.host.store.Store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The record of events and their deliveries in the {@link Store}: what became of each integration, every attempt,
 * and, while a delivery may still be sent, the event's payload and the sealed settings. It is also the idempotency
 * record: a delivery's id is the digest of event and integration configuration.
 *
 * <p>Thread-safe. Writes are group-committed and durable when a method returns.
 */
public final class DeliveryLog {
    /** A delivery's status in the store. */
    public enum State {
        /** The target accepted the event. */
        DELIVERED,
        /** Failed for good: the target or the settings are wrong. */
        FAILED,
        /** Waiting for its next attempt. */
        QUEUED,
        /** The retry schedule ended without a delivery. */
        EXHAUSTED,
        /** Not sent, on purpose. */
        SKIPPED;

        /** @return the state as the API writes it */
        public String json() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static State of(String stored) {
            return valueOf(stored.toUpperCase(java.util.Locale.ROOT));
        }
    }

    /**
     * What the store knows of a delivery before it is tried.
     *
     * @param state its state
     * @param attempts how many calls were made
     * @param nextAttemptAt when a queued one is tried next
     */
    public record Prior(State state, int attempts, Optional<Instant> nextAttemptAt) {
    }

    /**
     * One delivery to write.
     *
     * @param id the delivery's id (the idempotency digest)
     * @param position its place in the request
     * @param integration the integration's key
     * @param state its state after the attempts
     * @param priorAttempts how many attempts the store had recorded before these
     * @param attempts the attempts made now
     * @param nextAttemptAt when a queued delivery is tried next
     * @param sealedSettings the sealed settings, kept while the delivery may still be sent or retried
     * @param known whether the store already has this delivery
     */
    public record Row(String id, int position, String integration, State state, int priorAttempts,
                      List<Attempt> attempts, Optional<Instant> nextAttemptAt, Optional<byte[]> sealedSettings,
                      boolean known) {
        /** Checks and copies the components. */
        public Row {
            requireNonNull(id, "id is null");
            requireNonNull(integration, "integration is null");
            requireNonNull(state, "state is null");
            attempts = List.copyOf(attempts);
            requireNonNull(nextAttemptAt, "nextAttemptAt is null");
            requireNonNull(sealedSettings, "sealedSettings is null");
        }
    }

    /**
     * A queued delivery as the scheduler needs it.
     *
     * @param id the delivery's id
     * @param eventId the event's id
     * @param eventType the event's type
     * @param payload the event's payload, as JSON text
     * @param integration the integration's key
     * @param state its state
     * @param attempts how many calls were made
     * @param rounds how many of them the retry schedule made
     * @param nextAttemptAt when it is due
     * @param sealedSettings the sealed settings
     */
    public record Pending(String id, String eventId, String eventType, String payload, String integration, State state,
                          int attempts, int rounds, Optional<Instant> nextAttemptAt, Optional<byte[]> sealedSettings) {
    }

    /**
     * One delivery as the delivery API shows it.
     *
     * @param eventId the event's id
     * @param eventType the event's type
     * @param integration the integration's key
     * @param state its state
     * @param updatedAt when it last changed
     * @param nextAttemptAt when a queued one is tried next
     * @param attempts its attempts, oldest first (empty in lists)
     * @param attemptCount how many attempts were made
     */
    public record View(String eventId, String eventType, String integration, State state, Instant updatedAt,
                       Optional<Instant> nextAttemptAt, List<Attempt> attempts, int attemptCount) {
    }

    /**
     * An event with its deliveries.
     *
     * @param eventId the event's id
     * @param eventType its type
     * @param receivedAt when it arrived
     * @param deliveries its deliveries, in request order
     */
    public record EventView(String eventId, String eventType, Instant receivedAt, List<View> deliveries) {
    }

    private final Store store;

    /**
     * A log over a store.
     *
     * @param store the store
     */
    public DeliveryLog(Store store) {
        this.store = store;
    }

    /** @return the store this log writes to */
    public Store store() {
        return store;
    }

    /**
     * What the store knows of a delivery.
     *
     * @param id the delivery's id
     * @return its state, if the store has it
     */
    public Optional<Prior> prior(String id) {
        return store.read(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT status, attempts, next_attempt_at FROM deliveries WHERE id = ?")) {
                select.setString(1, id);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? Optional.of(new Prior(State.of(rows.getString(1)), rows.getInt(2),
                            instant(rows, 3))) : Optional.empty();
                }
            }
        });
    }

    /**
     * Records an event's deliveries, and runs {@code alsoInTransaction} in the same transaction.
     *
     * @param eventId the event's id
     * @param eventType its type
     * @param receivedAt when it arrived
     * @param payload the payload as JSON text, kept while a delivery may be sent later
     * @param newEvent whether the event is surely not in the store yet (its id was generated here)
     * @param rows the deliveries
     * @param alsoInTransaction more statements for the same transaction, such as queueing
     * @throws com.rainforestqa.integrations.host.store.StoreException if the store failed; nothing was written then
     */
    public void record(String eventId, String eventType, Instant receivedAt, String payload, boolean newEvent,
                       List<Row> rows, Store.Read<Void> alsoInTransaction) {
        boolean keepPayload = rows.stream().anyMatch(row -> row.sealedSettings().isPresent());
        store.write(connection -> {
            if (newEvent || !eventExists(connection, eventId)) {
                try (PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO events (event_id, event_type, received_at, payload) VALUES (?, ?, ?, ?)")) {
                    insert.setString(1, eventId);
                    insert.setString(2, eventType);
                    insert.setLong(3, receivedAt.toEpochMilli());
                    insert.setString(4, keepPayload ? payload : null);
                    insert.executeUpdate();
                }
            } else if (keepPayload) {
                try (PreparedStatement update = connection.prepareStatement(
                        "UPDATE events SET payload = ? WHERE event_id = ?")) {
                    update.setString(1, payload);
                    update.setString(2, eventId);
                    update.executeUpdate();
                }
            }
            long now = receivedAt.toEpochMilli();
            for (Row row : rows) {
                writeRow(connection, eventId, row, now);
            }
            alsoInTransaction.run(connection);
        });
    }

    private static boolean eventExists(Connection connection, String eventId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT 1 FROM events WHERE event_id = ?")) {
            select.setString(1, eventId);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next();
            }
        }
    }

    private static void writeRow(Connection connection, String eventId, Row row, long now) throws SQLException {
        long updatedAt = row.attempts().isEmpty() ? now
                : row.attempts().getLast().at().plus(row.attempts().getLast().took()).toEpochMilli();
        int updated = 0;
        if (row.known()) {
            try (PreparedStatement update = connection.prepareStatement("UPDATE deliveries SET status = ?, "
                    + "attempts = ?, rounds = 0, updated_at = ?, next_attempt_at = ?, settings = ? WHERE id = ?")) {
                update.setString(1, row.state().json());
                update.setInt(2, row.priorAttempts() + row.attempts().size());
                update.setLong(3, updatedAt);
                setInstant(update, 4, row.nextAttemptAt());
                setBytes(update, 5, row.sealedSettings());
                update.setString(6, row.id());
                updated = update.executeUpdate();
            }
        }
        if (updated == 0) {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO deliveries (id, event_id, "
                    + "ordinal, integration, status, attempts, rounds, updated_at, next_attempt_at, settings) "
                    + "VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?)")) {
                insert.setString(1, row.id());
                insert.setString(2, eventId);
                insert.setInt(3, row.position());
                insert.setString(4, row.integration());
                insert.setString(5, row.state().json());
                insert.setInt(6, row.priorAttempts() + row.attempts().size());
                insert.setLong(7, updatedAt);
                setInstant(insert, 8, row.nextAttemptAt());
                setBytes(insert, 9, row.sealedSettings());
                insert.executeUpdate();
            }
        }
        insertAttempts(connection, row.id(), row.priorAttempts(), row.attempts());
    }

    private static void insertAttempts(Connection connection, String id, int priorAttempts, List<Attempt> attempts)
            throws SQLException {
        if (attempts.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO attempts (delivery_id, attempt_no, started_at, "
                + "duration_ms, response_code, error_type, error) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            int number = priorAttempts;
            for (Attempt attempt : attempts) {
                insert.setString(1, id);
                insert.setInt(2, ++number);
                insert.setLong(3, attempt.at().toEpochMilli());
                insert.setLong(4, attempt.took().toMillis());
                if (attempt.responseCode().isPresent()) {
                    insert.setInt(5, attempt.responseCode().getAsInt());
                } else {
                    insert.setNull(5, Types.INTEGER);
                }
                insert.setString(6, attempt.errorType().orElse(null));
                insert.setString(7, attempt.error().map(DeliveryLog::fitError).orElse(null));
                if (attempts.size() == 1) {
                    insert.executeUpdate();
                } else {
                    insert.addBatch();
                }
            }
            if (attempts.size() > 1) {
                insert.executeBatch();
            }
        }
    }

    private static String fitError(String error) {
        return error.length() <= 4000 ? error : error.substring(0, 4000) + "…";
    }

    /**
     * A queued delivery with what it needs to be sent.
     *
     * @param id the delivery's id
     * @return the delivery, if the store has it
     */
    public Optional<Pending> pending(String id) {
        return store.read(connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT d.event_id, e.event_type, e.payload, "
                    + "d.integration, d.status, d.attempts, d.rounds, d.next_attempt_at, d.settings "
                    + "FROM deliveries d JOIN events e ON e.event_id = d.event_id WHERE d.id = ?")) {
                select.setString(1, id);
                try (ResultSet rows = select.executeQuery()) {
                    if (!rows.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new Pending(id, rows.getString(1), rows.getString(2), rows.getString(3),
                            rows.getString(4), State.of(rows.getString(5)), rows.getInt(6), rows.getInt(7),
                            instant(rows, 8), Optional.ofNullable(rows.getBytes(9))));
                }
            }
        });
    }

    /**
     * Records the outcome of a queued attempt, and runs {@code alsoInTransaction} in the same transaction. Settings
     * are dropped once the delivery is delivered; the payload once no delivery of its event keeps settings.
     *
     * @param pending the delivery as it was before the attempt
     * @param state its state now
     * @param attempts the attempts made
     * @param nextAttemptAt when it is tried next, if queued
     * @param now the time now
     * @param alsoInTransaction more statements for the same transaction
     */
    public void update(Pending pending, State state, List<Attempt> attempts, Optional<Instant> nextAttemptAt,
                       Instant now, Store.Read<Void> alsoInTransaction) {
        store.write(connection -> {
            try (PreparedStatement update = connection.prepareStatement("UPDATE deliveries SET status = ?, "
                    + "attempts = ?, rounds = ?, updated_at = ?, next_attempt_at = ?, "
                    + "settings = CASE WHEN ? THEN settings ELSE NULL END WHERE id = ?")) {
                update.setString(1, state.json());
                update.setInt(2, pending.attempts() + attempts.size());
                update.setInt(3, pending.rounds() + 1);
                update.setLong(4, now.toEpochMilli());
                setInstant(update, 5, nextAttemptAt);
                update.setBoolean(6, state != State.DELIVERED);
                update.setString(7, pending.id());
                update.executeUpdate();
            }
            insertAttempts(connection, pending.id(), pending.attempts(), attempts);
            dropPayloadIfDone(connection, pending.eventId());
            alsoInTransaction.run(connection);
        });
    }

    private static void dropPayloadIfDone(Connection connection, String eventId) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE events SET payload = NULL "
                + "WHERE event_id = ? AND payload IS NOT NULL AND NOT EXISTS "
                + "(SELECT 1 FROM deliveries WHERE event_id = ? AND settings IS NOT NULL)")) {
            update.setString(1, eventId);
            update.setString(2, eventId);
            update.executeUpdate();
        }
    }

    /**
     * Queues a failed or exhausted delivery again, at once, with a fresh retry schedule.
     *
     * @param eventId the event's id
     * @param integration the integration's key
     * @param now the time now
     * @param queue runs in the same transaction with the ids that were queued again, to schedule them
     * @return the ids queued again; empty when the event has no such delivery that can still be sent
     */
    public List<String> requeue(String eventId, String integration, Instant now, Requeue queue) {
        List<String> ids = new ArrayList<>();
        store.write(connection -> {
            ids.clear();
            try (PreparedStatement select = connection.prepareStatement("SELECT id FROM deliveries WHERE event_id = ? "
                    + "AND integration = ? AND status IN ('failed', 'exhausted') AND settings IS NOT NULL")) {
                select.setString(1, eventId);
                select.setString(2, integration);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        ids.add(rows.getString(1));
                    }
                }
            }
            try (PreparedStatement update = connection.prepareStatement("UPDATE deliveries SET status = 'queued', "
                    + "rounds = 0, updated_at = ?, next_attempt_at = ? WHERE id = ?")) {
                for (String id : ids) {
                    update.setLong(1, now.toEpochMilli());
                    update.setLong(2, now.toEpochMilli());
                    update.setString(3, id);
                    update.executeUpdate();
                }
            }
            queue.schedule(ids);
        });
        return List.copyOf(ids);
    }

    /** Schedules requeued deliveries inside the requeue's transaction. */
    @FunctionalInterface
    public interface Requeue {
        /**
         * Schedules them.
         *
         * @param ids the deliveries' ids
         * @throws SQLException when the scheduler's statements fail
         */
        void schedule(List<String> ids) throws SQLException;
    }

    /**
     * An event and its deliveries, every attempt included.
     *
     * @param eventId the event's id
     * @return the event, if the store has it
     */
    public Optional<EventView> event(String eventId) {
        return store.read(connection -> {
            String type;
            Instant receivedAt;
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT event_type, received_at FROM events WHERE event_id = ?")) {
                select.setString(1, eventId);
                try (ResultSet rows = select.executeQuery()) {
                    if (!rows.next()) {
                        return Optional.empty();
                    }
                    type = rows.getString(1);
                    receivedAt = Instant.ofEpochMilli(rows.getLong(2));
                }
            }
            Map<String, List<Attempt>> attempts = new LinkedHashMap<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT a.delivery_id, a.started_at, a.duration_ms, "
                    + "a.response_code, a.error_type, a.error FROM attempts a JOIN deliveries d ON d.id = a.delivery_id "
                    + "WHERE d.event_id = ? ORDER BY a.delivery_id, a.attempt_no")) {
                select.setString(1, eventId);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        int code = rows.getInt(4);
                        OptionalInt responseCode = rows.wasNull() ? OptionalInt.empty() : OptionalInt.of(code);
                        attempts.computeIfAbsent(rows.getString(1), ignored -> new ArrayList<>()).add(new Attempt(
                                Instant.ofEpochMilli(rows.getLong(2)), Duration.ofMillis(rows.getLong(3)),
                                responseCode, Optional.ofNullable(rows.getString(5)),
                                Optional.ofNullable(rows.getString(6))));
                    }
                }
            }
            List<View> deliveries = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT id, integration, status, updated_at, "
                    + "next_attempt_at, attempts FROM deliveries WHERE event_id = ? ORDER BY ordinal, id")) {
                select.setString(1, eventId);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        deliveries.add(new View(eventId, type, rows.getString(2), State.of(rows.getString(3)),
                                Instant.ofEpochMilli(rows.getLong(4)), instant(rows, 5),
                                attempts.getOrDefault(rows.getString(1), List.of()), rows.getInt(6)));
                    }
                }
            }
            return Optional.of(new EventView(eventId, type, receivedAt, deliveries));
        });
    }

    /**
     * Deliveries, the most recently changed first.
     *
     * @param state only those in this state, if given
     * @param integration only those of this integration, if given
     * @param before only those last changed before this time, if given (the page after one that ended there)
     * @param limit the most to return
     * @return the deliveries, without their attempts
     */
    public List<View> list(Optional<State> state, Optional<String> integration, Optional<Instant> before, int limit) {
        StringBuilder sql = new StringBuilder("SELECT d.event_id, e.event_type, d.integration, d.status, d.updated_at, "
                + "d.next_attempt_at, d.attempts FROM deliveries d JOIN events e ON e.event_id = d.event_id WHERE 1 = 1");
        state.ifPresent(ignored -> sql.append(" AND d.status = ?"));
        integration.ifPresent(ignored -> sql.append(" AND d.integration = ?"));
        before.ifPresent(ignored -> sql.append(" AND d.updated_at < ?"));
        sql.append(" ORDER BY d.updated_at DESC, d.id FETCH FIRST ? ROWS ONLY");
        return store.read(connection -> {
            try (PreparedStatement select = connection.prepareStatement(sql.toString())) {
                int index = 0;
                if (state.isPresent()) {
                    select.setString(++index, state.get().json());
                }
                if (integration.isPresent()) {
                    select.setString(++index, integration.get());
                }
                if (before.isPresent()) {
                    select.setLong(++index, before.get().toEpochMilli());
                }
                select.setInt(++index, limit);
                List<View> views = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        views.add(new View(rows.getString(1), rows.getString(2), rows.getString(3),
                                State.of(rows.getString(4)), Instant.ofEpochMilli(rows.getLong(5)), instant(rows, 6),
                                List.of(), rows.getInt(7)));
                    }
                }
                return views;
            }
        });
    }

    /**
     * How many deliveries are queued, by integration, and when the oldest of them was received.
     *
     * @return the counts, and the oldest queued event's arrival if any is queued
     */
    public Backlog backlog() {
        return store.read(connection -> {
            Map<String, Long> queued = new LinkedHashMap<>();
            try (PreparedStatement select = connection.prepareStatement("SELECT integration, COUNT(*) FROM deliveries "
                    + "WHERE status = 'queued' GROUP BY integration ORDER BY integration")) {
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        queued.put(rows.getString(1), rows.getLong(2));
                    }
                }
            }
            Optional<Instant> oldest = Optional.empty();
            try (PreparedStatement select = connection.prepareStatement("SELECT MIN(e.received_at) FROM deliveries d "
                    + "JOIN events e ON e.event_id = d.event_id WHERE d.status = 'queued'")) {
                try (ResultSet rows = select.executeQuery()) {
                    if (rows.next()) {
                        oldest = instant(rows, 1);
                    }
                }
            }
            return new Backlog(queued, oldest);
        });
    }

    /**
     * The queued deliveries.
     *
     * @param queued how many are queued, by integration
     * @param oldestReceivedAt when the oldest event with a queued delivery arrived
     */
    public record Backlog(Map<String, Long> queued, Optional<Instant> oldestReceivedAt) {
    }

    /**
     * Forgets what is past its retention: delivered and skipped deliveries after {@code delivered}, failed and
     * exhausted ones (and their sealed settings) after {@code failed}, and events left without deliveries.
     *
     * @param delivered how long delivered ids are kept for idempotency
     * @param failed how long failed and exhausted deliveries are kept
     * @param now the time now
     */
    public void purge(Duration delivered, Duration failed, Instant now) {
        long deliveredBefore = now.minus(delivered).toEpochMilli();
        long failedBefore = now.minus(failed).toEpochMilli();
        store.write(connection -> {
            String expired = "(status IN ('delivered', 'skipped') AND updated_at < ?) "
                    + "OR (status IN ('failed', 'exhausted') AND updated_at < ?)";
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM attempts WHERE delivery_id IN "
                    + "(SELECT id FROM deliveries WHERE " + expired + ")")) {
                delete.setLong(1, deliveredBefore);
                delete.setLong(2, failedBefore);
                delete.executeUpdate();
            }
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM deliveries WHERE " + expired)) {
                delete.setLong(1, deliveredBefore);
                delete.setLong(2, failedBefore);
                delete.executeUpdate();
            }
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM events e WHERE NOT EXISTS "
                    + "(SELECT 1 FROM deliveries d WHERE d.event_id = e.event_id)")) {
                delete.executeUpdate();
            }
        });
    }

    private static Optional<Instant> instant(ResultSet rows, int column) throws SQLException {
        long millis = rows.getLong(column);
        return rows.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
    }

    private static void setInstant(PreparedStatement statement, int index, Optional<Instant> value)
            throws SQLException {
        if (value.isPresent()) {
            statement.setLong(index, value.get().toEpochMilli());
        } else {
            statement.setNull(index, Types.BIGINT);
        }
    }

    private static void setBytes(PreparedStatement statement, int index, Optional<byte[]> value) throws SQLException {
        if (value.isPresent()) {
            statement.setBytes(index, value.get());
        } else {
            statement.setNull(index, Types.VARBINARY);
        }
    }
}
