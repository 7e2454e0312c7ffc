package com.rainforestqa.integrations.host.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded store on real files: migrations, group commit, and the checks that keep it from losing data. */
class StoreTest {
    @TempDir
    Path home;

    private StoreSettings embedded(Optional<String> key) {
        return new StoreSettings(StoreSettings.Type.EMBEDDED, home.resolve("data"), Optional.empty(), Optional.empty(),
                Optional.empty(), key, Duration.ofDays(7), Duration.ofSeconds(30), 4);
    }

    @Test
    void concurrentWritesAllCommitAndABadOneFailsAlone() throws Exception {
        try (Store store = Store.open(embedded(Optional.empty()));
             ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> writes = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String name = "row-" + i;
                writes.add(callers.submit(() -> store.write(transaction -> {
                    PreparedStatement insert = transaction.prepare(
                            "INSERT INTO store_meta (name, sealed) VALUES (?, X'00')");
                    insert.setString(1, name);
                    insert.executeUpdate();
                })));
            }
            Future<?> duplicate = callers.submit(() -> store.write(transaction -> {
                PreparedStatement insert = transaction.prepare(
                        "INSERT INTO store_meta (name, sealed) VALUES ('key_check', X'00')");
                insert.executeUpdate();
            }));
            for (Future<?> write : writes) {
                write.get();
            }

            assertThatThrownBy(duplicate::get).hasCauseInstanceOf(StoreException.class);
            assertThat(count(store, "name LIKE 'row-%'")).isEqualTo(200);
        }
    }

    @Test
    void aReopenedStoreKeepsItsRowsAndItsKey() throws Exception {
        try (Store store = Store.open(embedded(Optional.empty()))) {
            store.write(transaction -> transaction.prepare(
                    "INSERT INTO store_meta (name, sealed) VALUES ('kept', X'01')").executeUpdate());
        }
        try (Store store = Store.open(embedded(Optional.empty()))) {
            assertThat(count(store, "name = 'kept'")).isEqualTo(1);
        }
    }

    @Test
    void aStoreWhoseKeyFileIsGoneRefusesToOpen() throws Exception {
        Store.open(embedded(Optional.empty())).close();
        Files.delete(home.resolve("data").resolve(SettingsCipher.KEY_FILE));

        assertThatThrownBy(() -> Store.open(embedded(Optional.empty()))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("key file").hasMessageContaining("is missing");
    }

    @Test
    void aStoreOpenedWithAnotherKeyRefusesToOpen() {
        Store.open(embedded(Optional.of(Base64.getEncoder().encodeToString(new byte[32])))).close();
        byte[] other = new byte[32];
        other[0] = 1;

        assertThatThrownBy(() -> Store.open(embedded(Optional.of(Base64.getEncoder().encodeToString(other)))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not the key the store was created with");
    }

    @Test
    void aDataDirectoryThatCannotBeMadeIsNamed() throws Exception {
        Path file = Files.writeString(home.resolve("a-file"), "not a directory");
        StoreSettings settings = new StoreSettings(StoreSettings.Type.EMBEDDED, file.resolve("data"),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Duration.ofDays(7),
                Duration.ofSeconds(30), 4);

        assertThatThrownBy(() -> Store.open(settings)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot create the data directory " + file.resolve("data"));
    }

    @Test
    void aDamagedStoreIsRefusedWithItsDirectory() throws Exception {
        Store.open(embedded(Optional.empty())).close();
        Files.writeString(home.resolve("data").resolve("store").resolve("deliveries.script"), "this is not SQL\n");

        assertThatThrownBy(() -> Store.open(embedded(Optional.empty()))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot open the store in " + home.resolve("data"));
    }

    private static int count(Store store, String condition) {
        Integer count = store.read(connection -> {
            try (ResultSet rows = connection.createStatement().executeQuery(
                    "SELECT COUNT(*) FROM store_meta WHERE " + condition)) {
                rows.next();
                return rows.getInt(1);
            }
        });
        return count;
    }
}
