package com.rainforestqa.integrations.host.store;

import org.hsqldb.Session;
import org.hsqldb.jdbc.JDBCConnection;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * How a transaction that must survive a crash reaches the disk, when the database's own commits do not wait for it.
 *
 * <p>Both databases commit without a flush by default here: the writes of queued attempts (a claim, an outcome) cost
 * at worst a repeated attempt when lost in a crash, and a flush for each of them bounded the queue's drain by the
 * disk. A write whose caller answers someone on the strength of it (an event's record) asks for the flush.
 */
interface LogFlush {
    /** Nothing to do: a database in memory has no disk to reach. */
    LogFlush NONE = new LogFlush() {
    };

    /**
     * HSQLDB syncs its log every {@code write_delay_millis}; a durable transaction syncs it at once after its commit,
     * which also carries every commit before it to the disk. HSQLDB has no statement for this, so it is asked through
     * its in-process session.
     */
    LogFlush HSQLDB = new LogFlush() {
        @Override
        public void afterCommit(Connection connection) throws SQLException {
            Session session = (Session) connection.unwrap(JDBCConnection.class).getSession();
            session.getDatabase().logger.synchLog();
        }
    };

    /**
     * PostgreSQL's sessions run with {@code synchronous_commit} off (set on each new connection); a durable
     * transaction turns it on for itself, so that its commit waits for the WAL flush, which carries every earlier
     * commit too. A commit without it is still safe from a crash of this service: only the database's own crash may
     * lose it.
     */
    LogFlush POSTGRESQL = new LogFlush() {
        @Override
        public void beforeStatements(Connection connection) throws SQLException {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET LOCAL synchronous_commit TO on");
            }
        }
    };

    /**
     * Called first in a durable transaction.
     *
     * @param connection its connection, with auto-commit off
     * @throws SQLException if the database refused
     */
    default void beforeStatements(Connection connection) throws SQLException {
    }

    /**
     * Called once a durable transaction committed; it returns when the commit is on disk.
     *
     * @param connection its connection
     * @throws SQLException if the database refused
     */
    default void afterCommit(Connection connection) throws SQLException {
    }
}
