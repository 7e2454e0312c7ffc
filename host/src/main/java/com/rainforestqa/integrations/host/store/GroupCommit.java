package com.rainforestqa.integrations.host.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Supplier;

import javax.sql.DataSource;

/**
 * Runs the store's writes on one thread, many to a transaction: the writes that arrive while a commit is being
 * flushed to disk share the next commit and its flush, as in PostgreSQL's and Kafka's group commit. A caller returns
 * once its write is committed, and once it is on disk when it asked for that ({@link LogFlush}): a transaction is
 * flushed when any of its writes asked.
 *
 * <p>A write that fails is tried again in a transaction of its own, so one bad write never fails the others of its
 * batch; what failed leaves nothing behind (its transaction is rolled back).
 */
public final class GroupCommit implements AutoCloseable {
    /** The most writes one transaction takes. */
    private static final int MAX_BATCH = 256;

    /** One write: statements in the shared transaction. It must not commit. */
    @FunctionalInterface
    public interface Write {
        /**
         * Runs the statements.
         *
         * @param transaction the shared transaction
         * @throws SQLException when a statement fails
         */
        void run(Transaction transaction) throws SQLException;
    }

    /**
     * The transaction a batch of writes shares. Its statements are prepared once per batch, so the writes of many
     * events reuse them; they stay open until the batch ends, so writes must not close them.
     */
    public static final class Transaction {
        private final Connection connection;
        private final Map<String, PreparedStatement> statements = new HashMap<>();

        Transaction(Connection connection) {
            this.connection = connection;
        }

        /** @return the transaction's connection */
        public Connection connection() {
            return connection;
        }

        /**
         * A prepared statement of this transaction, made on first use.
         *
         * @param sql the statement
         * @return the statement, with its parameters as the last write left them
         * @throws SQLException if it cannot be prepared
         */
        public PreparedStatement prepare(String sql) throws SQLException {
            PreparedStatement statement = statements.get(sql);
            if (statement == null) {
                statement = connection.prepareStatement(sql);
                statements.put(sql, statement);
            }
            return statement;
        }

        void closeStatements() {
            for (PreparedStatement statement : statements.values()) {
                try {
                    statement.close();
                } catch (SQLException ignored) {
                    // The connection goes back to the pool, which discards it if it is broken.
                }
            }
        }
    }

    private record Pending(Write write, boolean durable, CompletableFuture<Void> done) {
    }

    private static final Pending STOP = new Pending(transaction -> { }, false, new CompletableFuture<>());

    private final DataSource pool;
    private final BoundDataSource bound;
    private final Supplier<Optional<String>> refusal;
    private final LogFlush flush;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private volatile boolean closed;

    /**
     * @param pool where connections come from
     * @param bound binds each batch's connection to the writing thread
     * @param refusal asked before each batch: why no write may be made now (a disk about to fill), if so
     * @param flush how a durable transaction reaches the disk
     */
    GroupCommit(DataSource pool, BoundDataSource bound, Supplier<Optional<String>> refusal, LogFlush flush) {
        this.pool = pool;
        this.bound = bound;
        this.refusal = refusal;
        this.flush = flush;
        this.writer = Thread.ofPlatform().name("store-writer").daemon().start(this::run);
    }

    /**
     * Runs a write and waits until it is committed.
     *
     * @param write the write
     * @param durable whether to wait until it is on disk, too
     * @throws StoreException if it failed; nothing of it remains then
     */
    void write(Write write, boolean durable) {
        if (closed) {
            throw new StoreException("the store is closed", null);
        }
        Pending pending = new Pending(write, durable, new CompletableFuture<>());
        queue.add(pending);
        try {
            pending.done().get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof StoreException store ? store
                    : new StoreException("the store could not write: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            // The write goes on; only this caller stops waiting for it.
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for the store", e);
        }
    }

    private void run() {
        List<Pending> batch = new ArrayList<>(MAX_BATCH);
        while (true) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            boolean stop = batch.remove(STOP);
            Optional<String> refused = batch.isEmpty() ? Optional.empty() : refusal.get();
            if (refused.isPresent()) {
                batch.forEach(pending -> pending.done().completeExceptionally(new StoreException(refused.get(), null)));
            } else if (!batch.isEmpty()) {
                if (batch.size() > 1 && commit(batch) == null) {
                    batch.forEach(pending -> pending.done().complete(null));
                } else {
                    for (Pending pending : batch) {
                        SQLException failure = commit(List.of(pending));
                        if (failure == null) {
                            pending.done().complete(null);
                        } else {
                            pending.done().completeExceptionally(new StoreException(
                                    "the store could not write: " + failure.getMessage(), failure));
                        }
                    }
                }
            }
            batch.clear();
            if (stop) {
                return;
            }
        }
    }

    /** @return null when the batch committed, else why it did not (it was rolled back) */
    private SQLException commit(List<Pending> batch) {
        boolean durable = batch.stream().anyMatch(Pending::durable);
        try (Connection connection = pool.getConnection()) {
            connection.setAutoCommit(false);
            bound.bind(connection);
            Transaction transaction = new Transaction(connection);
            try {
                if (durable) {
                    flush.beforeStatements(connection);
                }
                for (Pending pending : batch) {
                    pending.write().run(transaction);
                }
                connection.commit();
                if (durable) {
                    flush.afterCommit(connection);
                }
                return null;
            } catch (SQLException | RuntimeException e) {
                rollback(connection);
                return e instanceof SQLException sql ? sql : new SQLException(e.toString(), e);
            } finally {
                transaction.closeStatements();
                bound.unbind();
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            return e;
        }
    }

    private static void rollback(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // The connection is broken; the pool discards it, and the transaction is gone with it.
        }
    }

    /** Finishes the writes already queued, then stops; later writes fail. */
    @Override
    public void close() {
        closed = true;
        queue.add(STOP);
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
