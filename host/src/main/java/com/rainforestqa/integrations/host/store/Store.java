package com.rainforestqa.integrations.host.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import javax.sql.DataSource;

/**
 * The database that keeps deliveries: opened, migrated to the current schema and checked against its encryption
 * key at start, then shared by the delivery log and the scheduler.
 *
 * <p>An embedded store is an HSQLDB database in the data directory. Writes go through one {@link GroupCommit}, so
 * concurrent events share a transaction and its sync to disk; {@link #write} returns once its write is on disk,
 * {@link #writeLazily} once it is committed (on disk within {@value #LAZY_FLUSH_MILLIS} ms). HSQLDB locks the files
 * of an open database, so a second service on the same directory refuses to start.
 *
 * <p>A PostgreSQL store is shared by several instances ({@link #shared()}): the same tables from migrations in its
 * dialect, whose first run Flyway serialises with an advisory lock, and the same group-committed writes.
 */
public final class Store implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Store.class.getName());
    private static final String KEY_CHECK = "key_check";
    private static final byte[] KEY_CHECK_VALUE = "rainforest-integrations".getBytes(StandardCharsets.UTF_8);
    private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(5);
    /** How long an embedded store's commit may wait for its sync to disk, unless its writer asks for one at once. */
    static final int LAZY_FLUSH_MILLIS = 20;

    private final StoreSettings settings;
    private final HikariDataSource pool;
    private final BoundDataSource bound;
    private final GroupCommit writes;
    private final SettingsCipher cipher;

    private Store(StoreSettings settings, HikariDataSource pool, SettingsCipher cipher,
                  Supplier<Optional<String>> refusal) {
        this.settings = settings;
        this.pool = pool;
        this.bound = new BoundDataSource(pool);
        this.writes = new GroupCommit(pool, bound, refusal, switch (settings.type()) {
                    case EMBEDDED -> LogFlush.HSQLDB;
                    case MEMORY -> LogFlush.NONE;
                    case POSTGRESQL -> LogFlush.POSTGRESQL;
                });
        this.cipher = cipher;
    }

    /**
     * Opens the store, creating the data directory and the schema when they are missing.
     *
     * @param settings where the store is
     * @return the open store
     * @throws IllegalStateException if it cannot be opened: a directory that cannot be written, a store in use by
     *         another process, a damaged store, a missing or wrong encryption key
     */
    public static Store open(StoreSettings settings) {
        return open(settings, LAZY_FLUSH_MILLIS);
    }

    /**
     * Opens the store with another interval for an embedded store's lazy syncs, for tests that tell the two kinds of
     * write apart.
     *
     * @param settings where the store is
     * @param lazyFlushMillis how long a lazy write may wait for its sync to disk
     * @return the open store
     */
    static Store open(StoreSettings settings, int lazyFlushMillis) {
        Supplier<Optional<String>> refusal = Optional::empty;
        if (settings.type() == StoreSettings.Type.EMBEDDED) {
            prepareDirectory(settings.dir());
            refusal = freeSpaceCheck(settings);
        }
        HikariDataSource pool = pool(settings, lazyFlushMillis);
        try {
            migrate(pool, settings);
            SettingsCipher cipher = checkedCipher(pool, settings);
            return new Store(settings, pool, cipher, refusal);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    private static void prepareDirectory(Path dir) {
        try {
            // Only the service's user reads the store: it holds payloads and (sealed) settings.
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(
                    "rwx------")));
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the data directory " + dir + " (integrations.store.dir): "
                    + e, e);
        }
        if (!Files.isWritable(dir)) {
            throw new IllegalStateException("the data directory " + dir + " (integrations.store.dir) is not writable "
                    + "by this user");
        }
    }

    private static HikariDataSource pool(StoreSettings settings, int lazyFlushMillis) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("store");
        config.setMaximumPoolSize(settings.poolSize());
        // A server's connections are opened at start, not when a burst of events needs them: opening one (a
        // process on the server, a password exchange) takes long enough that a burst would wait past the timeout.
        config.setMinimumIdle(settings.shared() ? settings.poolSize() : 1);
        // Fail at once with the database's own reason (a lock, a damaged file) instead of waiting for it to pass.
        config.setInitializationFailTimeout(1);
        // A database that stopped answering fails a request in seconds (answered 503, to be sent again), rather
        // than holding it, and the caller's connection, for the pool's default half a minute; a burst of events
        // that keeps every connection busy still gets its turn.
        config.setConnectionTimeout(CONNECTION_TIMEOUT.toMillis());
        switch (settings.type()) {
            case EMBEDDED -> config.setDataSource(new CompiledStatements("jdbc:hsqldb:file:"
                    + settings.dir().resolve("store").resolve("deliveries")
                    // cached: rows live on disk, not on the heap. The log is synced every lazyFlushMillis, and at
                    // once after a durable write's commit (LogFlush.HSQLDB).
                    + ";hsqldb.default_table_type=cached;hsqldb.write_delay_millis=" + lazyFlushMillis
                    + ";hsqldb.tx=mvcc"
                    // The row cache (16 MB) holds the rows of 10,000 queued deliveries with their payloads and
                    // schedule: when a queue outgrew a quarter of it, its attempts read their rows back from the
                    // file, one at a time under the cache's lock, at about half the drain rate. A larger one takes
                    // more of the service's small heap. The data file is read and written rather than mapped, so
                    // it does not count in the process's resident memory.
                    + ";hsqldb.cache_rows=40000;hsqldb.cache_size=16000;hsqldb.nio_data_file=false"
                    + ";hsqldb.lock_file=true;ifexists=false", "SA", ""));
            case MEMORY -> config.setDataSource(new CompiledStatements(
                    "jdbc:hsqldb:mem:store-" + UUID.randomUUID() + ";hsqldb.tx=mvcc", "SA", ""));
            case POSTGRESQL -> {
                config.setJdbcUrl(settings.url().orElseThrow());
                // Durable writes turn it on for their own transactions (LogFlush.POSTGRESQL).
                config.setConnectionInitSql("SET synchronous_commit TO off");
                settings.user().ifPresent(config::setUsername);
                settings.password().ifPresent(config::setPassword);
            }
        }
        try {
            return new HikariDataSource(config);
        } catch (HikariPool.PoolInitializationException e) {
            throw new IllegalStateException(openFailure(settings, e.getCause() == null ? e : e.getCause()), e);
        }
    }

    private static String openFailure(StoreSettings settings, Throwable cause) {
        String reason = String.valueOf(cause.getMessage());
        if (settings.type() == StoreSettings.Type.EMBEDDED) {
            if (reason.contains("lock")) {
                return "the store in " + settings.dir() + " is in use by another process: one embedded store serves "
                        + "one running service (stop the other, or give this one its own integrations.store.dir; "
                        + "several instances share a PostgreSQL store). The database said: " + reason;
            }
            return "cannot open the store in " + settings.dir() + ": " + reason;
        }
        return "cannot connect to the store " + settings.url().orElse("") + ": " + reason;
    }

    /**
     * An embedded store refuses writes while its disk has less than {@code min-free-space} left: the database does
     * not report every failed write to its log file, and a write it loses after the caller was answered would be a
     * delivery lost. One look at the file system per transaction; the disk is found once, since
     * {@link Files#getFileStore} reads the mount table, which costs far more than the look itself.
     */
    private static Supplier<Optional<String>> freeSpaceCheck(StoreSettings settings) {
        FileStore disk;
        try {
            disk = Files.getFileStore(settings.dir());
        } catch (IOException e) {
            throw new IllegalStateException("cannot find the disk of the data directory " + settings.dir()
                    + " (integrations.store.dir): " + e, e);
        }
        return () -> {
            try {
                long usable = disk.getUsableSpace();
                return usable >= settings.minFreeSpace() ? Optional.empty() : Optional.of("the disk of the store "
                        + settings.dir() + " has " + usable + " bytes left, less than "
                        + "integrations.store.min-free-space (" + settings.minFreeSpace() + ")");
            } catch (IOException e) {
                return Optional.of("cannot read the free space of the store's disk: " + e.getMessage());
            }
        };
    }

    private static void migrate(DataSource pool, StoreSettings settings) {
        String vendor = settings.type() == StoreSettings.Type.POSTGRESQL ? "postgresql" : "hsqldb";
        try {
            Flyway.configure(Store.class.getClassLoader())
                    .dataSource(pool)
                    .locations("classpath:db/migration/" + vendor)
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            throw new IllegalStateException("cannot bring the store's schema up to date: " + e.getMessage(), e);
        }
    }

    /**
     * The cipher for pending settings, checked against the value sealed when the store was created: a store whose
     * key is lost or wrong cannot open what it holds, so the service refuses to start rather than drop it.
     */
    private static SettingsCipher checkedCipher(DataSource pool, StoreSettings settings) {
        try (Connection connection = pool.getConnection()) {
            Optional<byte[]> check = keyCheck(connection);
            SettingsCipher cipher;
            if (settings.encryptionKey().isPresent()) {
                cipher = SettingsCipher.ofKey(settings.encryptionKey().get());
            } else if (settings.type() == StoreSettings.Type.EMBEDDED) {
                cipher = SettingsCipher.ofKeyFile(settings.dir(), check.isEmpty()).orElseThrow(() ->
                        new IllegalStateException("the store in " + settings.dir() + " holds sealed settings but its "
                                + "key file " + settings.dir().resolve(SettingsCipher.KEY_FILE)
                                + " is missing: restore it, or set integrations.store.encryption-key to the key it held"));
            } else if (settings.type() == StoreSettings.Type.MEMORY) {
                cipher = SettingsCipher.ephemeral();
            } else {
                throw new IllegalStateException("a PostgreSQL store needs integrations.store.encryption-key, the same "
                        + "on every instance (openssl rand -base64 32)");
            }
            if (check.isEmpty()) {
                // Instances that start at once on a new shared store race to seal the check; the first one's
                // stands, and every other instance checks its own key against it below.
                try (PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO store_meta (name, sealed) VALUES (?, ?)"
                                + (settings.shared() ? " ON CONFLICT DO NOTHING" : ""))) {
                    insert.setString(1, KEY_CHECK);
                    insert.setBytes(2, cipher.seal(KEY_CHECK_VALUE, KEY_CHECK));
                    insert.executeUpdate();
                }
                check = keyCheck(connection);
            }
            try {
                cipher.open(check.orElseThrow(), KEY_CHECK);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("the encryption key does not open this store's sealed settings: "
                        + "it is not the key the store was created with (integrations.store.encryption-key"
                        + (settings.shared() ? ", the same on every instance)"
                        : " or " + SettingsCipher.KEY_FILE + " in the data directory)"));
            }
            return cipher;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the store: " + e.getMessage(), e);
        }
    }

    private static Optional<byte[]> keyCheck(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT sealed FROM store_meta WHERE name = ?")) {
            select.setString(1, KEY_CHECK);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(rows.getBytes(1)) : Optional.empty();
            }
        }
    }

    /** @return where the store is */
    public StoreSettings settings() {
        return settings;
    }

    /** @return whether several instances may share this store (PostgreSQL), and so must coordinate through it */
    public boolean shared() {
        return settings.shared();
    }

    /**
     * The data source for reads, and for libraries that write: inside a {@link #write}, on the writing thread, it
     * hands out the write's own connection.
     *
     * @return the data source
     */
    public DataSource dataSource() {
        return bound;
    }

    /** @return the cipher for pending settings */
    public SettingsCipher cipher() {
        return cipher;
    }

    /**
     * Runs statements in a transaction shared with other writes, and returns once it is on disk: for writes that
     * someone is answered on the strength of.
     *
     * @param write the statements; they must not commit
     * @throws StoreException if the transaction failed; nothing of this write remains
     */
    public void write(GroupCommit.Write write) {
        writes.write(write, true);
    }

    /**
     * Runs statements in a transaction shared with other writes, and returns once it is committed, before it is
     * on disk: a crash of the machine (of this service, for an embedded store) may lose the last fraction of a
     * second of such writes. For writes whose loss costs at most a repeated attempt, such as those of queued
     * attempts: waiting for the disk bounded how fast a queue drains.
     *
     * @param write the statements; they must not commit
     * @throws StoreException if the transaction failed; nothing of this write remains
     */
    public void writeLazily(GroupCommit.Write write) {
        writes.write(write, false);
    }

    /**
     * Runs a read on a connection of its own.
     *
     * @param read the read
     * @param <T> what it returns
     * @return what the read returned
     * @throws StoreException if the database failed
     */
    public <T> T read(Read<T> read) {
        try (Connection connection = pool.getConnection()) {
            return read.run(connection);
        } catch (SQLException e) {
            throw new StoreException("the store could not read: " + e.getMessage(), e);
        }
    }

    /**
     * A read.
     *
     * @param <T> what it returns
     */
    @FunctionalInterface
    public interface Read<T> {
        /**
         * Runs the read.
         *
         * @param connection a connection in auto-commit mode
         * @return the result
         * @throws SQLException when a statement fails
         */
        T run(Connection connection) throws SQLException;
    }

    /** Finishes pending writes, then closes the database (an embedded one is compacted and unlocked). */
    @Override
    public void close() {
        writes.close();
        if (settings.type() != StoreSettings.Type.POSTGRESQL) {
            try (Connection connection = pool.getConnection()) {
                connection.createStatement().execute("SHUTDOWN");
            } catch (SQLException e) {
                LOG.log(System.Logger.Level.WARNING, "The store did not shut down cleanly: " + e.getMessage());
            }
        }
        pool.close();
    }
}
