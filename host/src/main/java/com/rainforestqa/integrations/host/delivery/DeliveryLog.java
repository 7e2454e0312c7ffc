package com.rainforestqa.integrations.host.delivery;

import static java.util.Objects.requireNonNull;

import com.rainforestqa.integrations.host.store.GroupCommit;
import com.rainforestqa.integrations.host.store.Store;

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

/**
 * The record of events and their deliveries in the {@link Store}: what became of each integration, every attempt,
 * and, while a delivery may still be sent, the event's payload and the sealed settings. It is also the idempotency
 * record: a delivery's id is the digest of event and integration configuration.
 *
 * <p>Thread-safe. Writes are group-committed; those of an event and of an operator's retry are on disk when their
 * method returns, those of queued attempts and of the purge are committed and reach the disk a moment later
 * ({@link Store#writeLazily}): a crash that loses them costs at most a repeated attempt.
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
     * @param attemptLog its attempts so far, as stored
     */
    public record Prior(State state, int attempts, Optional<Instant> nextAttemptAt, String attemptLog) {
    }

    /**
     * One delivery to write.
     *
     * @param id the delivery's id (the idempotency digest)
     * @param position its place in the request
     * @param integration the integration's key
     * @param state its state after the attempts
     * @param prior what the store had of it, if anything
     * @param attempts the attempts made now
     * @param nextAttemptAt when a queued delivery is tried next
     * @param sealedSettings the sealed settings, kept while the delivery may still be sent or retried
     */
    public record Row(String id, int position, String integration, State state, Optional<Prior> prior,
                      List<Attempt> attempts, Optional<Instant> nextAttemptAt, Optional<byte[]> sealedSettings) {
        /** Checks and copies the components. */
        public Row {
            requireNonNull(id, "id is null");
            requireNonNull(integration, "integration is null");
            requireNonNull(state, "state is null");
            requireNonNull(prior, "prior is null");
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
     * @param attemptLog its attempts so far, as stored
     */
    public record Pending(String id, String eventId, String eventType, String payload, String integration, State state,
                          int attempts, int rounds, Optional<Instant> nextAttemptAt, Optional<byte[]> sealedSettings,
                          String attemptLog) {
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

    private static final String NO_ATTEMPTS = "[]";
    /** The columns of a new delivery's row, and the values after its id. */
    private static final String COLUMNS = "id, event_id, event_type, received_at, ordinal, integration, status, "
            + "attempts, rounds, updated_at, next_attempt_at, attempt_log, settings";
    private static final String VALUES = "?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?";

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
                    "SELECT status, attempts, next_attempt_at, attempt_log FROM deliveries WHERE id = ?")) {
                select.setString(1, id);
                try (ResultSet rows = select.executeQuery()) {
                    return rows.next() ? Optional.of(new Prior(State.of(rows.getString(1)), rows.getInt(2),
                            instant(rows, 3), rows.getString(4))) : Optional.empty();
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
     * @param payload the payload as JSON text, kept while a delivery may be sent later; null when none may
     * @param newEvent whether the event is surely not in the store yet (its id was generated here)
     * @param rows the deliveries
     * @param alsoInTransaction more statements for the same transaction, such as queueing
     * @throws com.rainforestqa.integrations.host.store.StoreException if the store failed; nothing was written then
     */
    public void record(String eventId, String eventType, Instant receivedAt, String payload, boolean newEvent,
                       List<Row> rows, Store.Read<Void> alsoInTransaction) {
        store.write(transaction -> {
            if (payload != null) {
                keepPayload(transaction, eventId, payload, newEvent);
            }
            for (Row row : rows) {
                writeRow(transaction, eventId, eventType, receivedAt, row);
            }
            alsoInTransaction.run(transaction.connection());
        });
    }

    private void keepPayload(GroupCommit.Transaction transaction, String eventId, String payload,
                             boolean newEvent) throws SQLException {
        if (store.shared() && !newEvent) {
            // Two instances may record deliveries of one event at once; the update-else-insert below would race.
            PreparedStatement upsert = transaction.prepare("INSERT INTO payloads (event_id, payload) VALUES (?, ?) "
                    + "ON CONFLICT (event_id) DO UPDATE SET payload = EXCLUDED.payload");
            upsert.setString(1, eventId);
            upsert.setString(2, payload);
            upsert.executeUpdate();
            return;
        }
        if (!newEvent) {
            PreparedStatement update = transaction.prepare(
                    "UPDATE payloads SET payload = ? WHERE event_id = ?");
            update.setString(1, payload);
            update.setString(2, eventId);
            if (update.executeUpdate() > 0) {
                return;
            }
        }
        PreparedStatement insert = transaction.prepare(
                "INSERT INTO payloads (event_id, payload) VALUES (?, ?)");
        insert.setString(1, eventId);
        insert.setString(2, payload);
        insert.executeUpdate();
    }

    private void writeRow(GroupCommit.Transaction transaction, String eventId, String eventType,
                          Instant receivedAt, Row row) throws SQLException {
        long updatedAt = row.attempts().isEmpty() ? receivedAt.toEpochMilli()
                : row.attempts().getLast().at().plus(row.attempts().getLast().took()).toEpochMilli();
        int attempts = row.prior().map(Prior::attempts).orElse(0) + row.attempts().size();
        String log = AttemptLog.append(row.prior().map(Prior::attemptLog).orElse(NO_ATTEMPTS), row.attempts());
        if (row.prior().isPresent()) {
            PreparedStatement update = transaction.prepare("UPDATE deliveries SET status = ?, "
                    + "attempts = ?, rounds = 0, updated_at = ?, next_attempt_at = ?, attempt_log = ?, settings = ? "
                    + "WHERE id = ?");
            update.setString(1, row.state().json());
            update.setInt(2, attempts);
            update.setLong(3, updatedAt);
            setInstant(update, 4, row.nextAttemptAt());
            update.setString(5, log);
            setBytes(update, 6, row.sealedSettings());
            update.setString(7, row.id());
            if (update.executeUpdate() > 0) {
                return;
            }
        }
        // Deliveries that need no attempt (skipped ones) are recorded without a claim, so copies of one event may
        // insert the same row at once: the first stands. PostgreSQL says so with ON CONFLICT; HSQLDB, whose writes
        // run one transaction at a time, with a MERGE that inserts only an id it does not find.
        PreparedStatement insert = transaction.prepare(store.shared()
                ? "INSERT INTO deliveries (" + COLUMNS + ") VALUES (?, " + VALUES + ") ON CONFLICT (id) DO NOTHING"
                : "MERGE INTO deliveries USING (VALUES (CAST(? AS VARCHAR(64)))) AS new (id) "
                        + "ON deliveries.id = new.id WHEN NOT MATCHED THEN INSERT (" + COLUMNS + ") "
                        + "VALUES (new.id, " + VALUES + ")");
        insert.setString(1, row.id());
        insert.setString(2, eventId);
        insert.setString(3, eventType);
        insert.setLong(4, receivedAt.toEpochMilli());
        insert.setInt(5, row.position());
        insert.setString(6, row.integration());
        insert.setString(7, row.state().json());
        insert.setInt(8, attempts);
        insert.setLong(9, updatedAt);
        setInstant(insert, 10, row.nextAttemptAt());
        insert.setString(11, log);
        setBytes(insert, 12, row.sealedSettings());
        insert.executeUpdate();
    }

    /**
     * A queued delivery with what it needs to be sent.
     *
     * @param id the delivery's id
     * @return the delivery, if the store has it
     */
    public Optional<Pending> pending(String id) {
        return store.read(connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT d.event_id, d.event_type, p.payload, "
                    + "d.integration, d.status, d.attempts, d.rounds, d.next_attempt_at, d.settings, d.attempt_log "
                    + "FROM deliveries d LEFT JOIN payloads p ON p.event_id = d.event_id WHERE d.id = ?")) {
                select.setString(1, id);
                try (ResultSet rows = select.executeQuery()) {
                    if (!rows.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new Pending(id, rows.getString(1), rows.getString(2), rows.getString(3),
                            rows.getString(4), State.of(rows.getString(5)), rows.getInt(6), rows.getInt(7),
                            instant(rows, 8), Optional.ofNullable(rows.getBytes(9)), rows.getString(10)));
                }
            }
        });
    }

    /**
     * Claims a queued delivery for one attempt, so that no other run of it sends meanwhile.
     *
     * @param id the delivery's id
     * @param now the time now
     * @param until when the claim lapses if the attempt never records its outcome (its process died)
     * @return whether the caller holds the claim; false when the delivery is no longer queued or another run holds it
     */
    public boolean claim(String id, Instant now, Instant until) {
        int[] claimed = new int[1];
        store.writeLazily(transaction -> {
            PreparedStatement update = transaction.prepare("UPDATE deliveries SET claimed_until = ? WHERE id = ? "
                    + "AND status = 'queued' AND (claimed_until IS NULL OR claimed_until < ?)");
            update.setLong(1, until.toEpochMilli());
            update.setString(2, id);
            update.setLong(3, now.toEpochMilli());
            claimed[0] = update.executeUpdate();
        });
        return claimed[0] == 1;
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
        store.writeLazily(transaction -> {
            PreparedStatement update = transaction.prepare("UPDATE deliveries SET status = ?, "
                    + "attempts = ?, rounds = ?, updated_at = ?, next_attempt_at = ?, attempt_log = ?, "
                    + "settings = CASE WHEN ? THEN settings ELSE NULL END, claimed_until = NULL WHERE id = ?");
            update.setString(1, state.json());
            update.setInt(2, pending.attempts() + attempts.size());
            update.setInt(3, pending.rounds() + 1);
            update.setLong(4, now.toEpochMilli());
            setInstant(update, 5, nextAttemptAt);
            update.setString(6, AttemptLog.append(pending.attemptLog(), attempts));
            update.setBoolean(7, state != State.DELIVERED && state != State.SKIPPED);
            update.setString(8, pending.id());
            update.executeUpdate();
            PreparedStatement delete = transaction.prepare("DELETE FROM payloads WHERE event_id = ? "
                    + "AND NOT EXISTS (SELECT 1 FROM deliveries WHERE event_id = ? AND settings IS NOT NULL)");
            delete.setString(1, pending.eventId());
            delete.setString(2, pending.eventId());
            delete.executeUpdate();
            alsoInTransaction.run(transaction.connection());
        });
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
        store.write(transaction -> {
            ids.clear();
            PreparedStatement select = transaction.prepare("SELECT d.id FROM deliveries d "
                    + "JOIN payloads p ON p.event_id = d.event_id WHERE d.event_id = ? AND d.integration = ? "
                    + "AND d.status IN ('failed', 'exhausted') AND d.settings IS NOT NULL");
            select.setString(1, eventId);
            select.setString(2, integration);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
            }
            PreparedStatement update = transaction.prepare("UPDATE deliveries SET status = 'queued', "
                    + "rounds = 0, updated_at = ?, next_attempt_at = ? WHERE id = ?");
            for (String id : ids) {
                update.setLong(1, now.toEpochMilli());
                update.setLong(2, now.toEpochMilli());
                update.setString(3, id);
                update.executeUpdate();
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
            try (PreparedStatement select = connection.prepareStatement("SELECT event_type, received_at, integration, "
                    + "status, updated_at, next_attempt_at, attempts, attempt_log FROM deliveries WHERE event_id = ? "
                    + "ORDER BY ordinal, id")) {
                select.setString(1, eventId);
                List<View> deliveries = new ArrayList<>();
                String type = null;
                Instant receivedAt = null;
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        type = rows.getString(1);
                        receivedAt = Instant.ofEpochMilli(rows.getLong(2));
                        deliveries.add(new View(eventId, type, rows.getString(3), State.of(rows.getString(4)),
                                Instant.ofEpochMilli(rows.getLong(5)), instant(rows, 6),
                                AttemptLog.parse(rows.getString(8)), rows.getInt(7)));
                    }
                }
                return deliveries.isEmpty() ? Optional.empty()
                        : Optional.of(new EventView(eventId, type, receivedAt, deliveries));
            }
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
        StringBuilder sql = new StringBuilder("SELECT event_id, event_type, integration, status, updated_at, "
                + "next_attempt_at, attempts FROM deliveries WHERE 1 = 1");
        state.ifPresent(ignored -> sql.append(" AND status = ?"));
        integration.ifPresent(ignored -> sql.append(" AND integration = ?"));
        before.ifPresent(ignored -> sql.append(" AND updated_at < ?"));
        sql.append(" ORDER BY updated_at DESC, id FETCH FIRST ? ROWS ONLY");
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
            Instant oldest = null;
            try (PreparedStatement select = connection.prepareStatement("SELECT integration, COUNT(*), "
                    + "MIN(received_at) FROM deliveries WHERE status = 'queued' GROUP BY integration")) {
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        queued.put(rows.getString(1), rows.getLong(2));
                        Instant received = Instant.ofEpochMilli(rows.getLong(3));
                        oldest = oldest == null || received.isBefore(oldest) ? received : oldest;
                    }
                }
            }
            return new Backlog(queued, Optional.ofNullable(oldest));
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
     * exhausted ones (and their sealed settings) after {@code failed}, and payloads no delivery needs.
     *
     * @param delivered how long delivered ids are kept for idempotency
     * @param failed how long failed and exhausted deliveries are kept
     * @param now the time now
     */
    public void purge(Duration delivered, Duration failed, Instant now) {
        store.writeLazily(transaction -> {
            PreparedStatement expired = transaction.prepare("DELETE FROM deliveries WHERE "
                    + "(status IN ('delivered', 'skipped') AND updated_at < ?) "
                    + "OR (status IN ('failed', 'exhausted') AND updated_at < ?)");
            expired.setLong(1, now.minus(delivered).toEpochMilli());
            expired.setLong(2, now.minus(failed).toEpochMilli());
            expired.executeUpdate();
            PreparedStatement unneeded = transaction.prepare("DELETE FROM payloads p WHERE NOT EXISTS "
                    + "(SELECT 1 FROM deliveries d WHERE d.event_id = p.event_id AND d.settings IS NOT NULL)");
            unneeded.executeUpdate();
            if (store.shared()) {
                // Claims of instances that died while delivering.
                PreparedStatement lapsed = transaction.prepare("DELETE FROM delivery_claims WHERE until < ?");
                lapsed.setLong(1, now.toEpochMilli());
                lapsed.executeUpdate();
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
