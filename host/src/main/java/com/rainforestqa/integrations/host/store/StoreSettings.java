package com.rainforestqa.integrations.host.store;

import static java.util.Objects.requireNonNull;

import io.helidon.config.Config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Where deliveries and delivered ids are kept, read from {@code integrations.store}.
 *
 * @param type the kind of store
 * @param dir the data directory of the embedded store, which also holds its generated key file
 * @param url the JDBC URL of a PostgreSQL store
 * @param user the database user of a PostgreSQL store
 * @param password the database password of a PostgreSQL store
 * @param encryptionKey the base64 AES key that seals pending settings; empty uses the key file in {@code dir}
 * @param retention how long failed and exhausted deliveries are kept
 * @param lease how long an instance's claim on a running delivery lasts without a heartbeat
 * @param poolSize the most database connections the service opens
 * @param minFreeSpace the bytes an embedded store's disk must keep free; writes are refused below that
 */
public record StoreSettings(Type type, Path dir, Optional<String> url, Optional<String> user,
                            Optional<String> password, Optional<String> encryptionKey, Duration retention,
                            Duration lease, int poolSize, long minFreeSpace) {

    /** The kinds of store. */
    public enum Type {
        /** A database file under the data directory (HSQLDB); the default. */
        EMBEDDED,
        /** A PostgreSQL server, shared by several instances. */
        POSTGRESQL,
        /** In memory only: everything is lost when the service stops. */
        MEMORY
    }

    /** Checks the components. */
    public StoreSettings {
        requireNonNull(type, "type is null");
        requireNonNull(dir, "dir is null");
        requireNonNull(url, "url is null");
        requireNonNull(user, "user is null");
        requireNonNull(password, "password is null");
        requireNonNull(encryptionKey, "encryptionKey is null");
        requireNonNull(retention, "retention is null");
        requireNonNull(lease, "lease is null");
        if (poolSize < 1) {
            throw new IllegalArgumentException("poolSize must be at least 1");
        }
    }

    /**
     * Reads {@code integrations.store}.
     *
     * @param store the {@code integrations.store} node, over the defaults file, which sets every key that has a default
     * @param home the installation directory; a relative {@code dir} is resolved against it
     * @return the settings
     * @throws IllegalStateException for an unknown type, or PostgreSQL without a URL
     */
    public static StoreSettings from(Config store, Path home) {
        String typeName = store.get("type").asString().get().strip().toUpperCase(Locale.ROOT);
        Type type;
        try {
            type = Type.valueOf(typeName);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("integrations.store.type must be embedded, postgresql or memory, not "
                    + typeName.toLowerCase(Locale.ROOT));
        }
        Optional<String> url = nonBlank(store.get("url"));
        if (type == Type.POSTGRESQL && url.isEmpty()) {
            throw new IllegalStateException("integrations.store.type is postgresql but integrations.store.url is not "
                    + "set (jdbc:postgresql://host:5432/database)");
        }
        return new StoreSettings(type,
                home.resolve(store.get("dir").asString().get()),
                url,
                nonBlank(store.get("user")),
                nonBlank(store.get("password")),
                nonBlank(store.get("encryption-key")),
                store.get("retention").as(Duration.class).get(),
                store.get("lease").as(Duration.class).get(),
                store.get("pool-size").asInt().get(),
                store.get("min-free-space").asLong().get());
    }

    private static Optional<String> nonBlank(Config node) {
        return node.asString().map(String::strip).filter(value -> !value.isEmpty());
    }

    /** @return whether several instances may share this store (PostgreSQL), and so must coordinate through it */
    public boolean shared() {
        return type == Type.POSTGRESQL;
    }

    /** Names every setting but the password and the key. */
    @Override
    public String toString() {
        return "StoreSettings[type=" + type + ", dir=" + dir + ", url=" + url.orElse("(none)") + ", user="
                + user.orElse("(none)") + ", retention=" + retention + ", lease=" + lease + "]";
    }
}
