package com.rainforestqa.integrations.host.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two kinds of write of an embedded store, told apart by killing the process that made them ({@code kill -9})
 * the moment they returned: a durable write is on disk, a lazy one, whose sync was still an hour away, is not.
 */
class StoreCrashTest {
    @TempDir
    Path home;

    static StoreSettings settings(Path dir) {
        return new StoreSettings(StoreSettings.Type.EMBEDDED, dir, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Duration.ofDays(7), Duration.ofSeconds(30), 4, 0);
    }

    static void insert(GroupCommit.Transaction transaction, String name) throws SQLException {
        PreparedStatement insert = transaction.prepare("INSERT INTO store_meta (name, sealed) VALUES (?, X'01')");
        insert.setString(1, name);
        insert.executeUpdate();
    }

    @Test
    void aDurableWriteSurvivesKillNineTheMomentItReturnsAndALazyOneWaitsForItsSync() throws Exception {
        Path data = home.resolve("data");
        Process writer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CrashingWriter.class.getName(), data.toString())
                .redirectErrorStream(true)
                .start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            StringBuilder seen = new StringBuilder();
            while ((line = out.readLine()) != null && !line.equals("written")) {
                seen.append(line).append('\n');
            }
            assertThat(line).as("the writer's output:\n%s", seen).isEqualTo("written");
            writer.destroyForcibly();
            assertThat(writer.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            writer.destroyForcibly();
        }

        try (Store store = reopen(data)) {
            assertThat(rows(store, "durable")).isEqualTo(1);
            // What shows that the kill came before any sync of its own: a write that did not ask for one is lost.
            assertThat(rows(store, "lazy")).isZero();
        }
    }

    /**
     * Opens the store the killed process held. HSQLDB takes the lock of a dead process over once the lock's heartbeat
     * (written every ten seconds) has stood still for ten seconds, and gives up polling for that after about nine: a
     * process that opens the store the moment the other died, within a second of its last heartbeat, finds the lock
     * still held. A restarted service, which starts the JVM first, comes too late for that; here it is tried again.
     */
    private static Store reopen(Path data) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(60);
        while (true) {
            try {
                return Store.open(settings(data));
            } catch (IllegalStateException e) {
                if (!e.getMessage().contains("in use by another process") || Instant.now().isAfter(deadline)) {
                    throw e;
                }
                Thread.sleep(1000);
            }
        }
    }

    private static int rows(Store store, String name) {
        return store.read(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT COUNT(*) FROM store_meta WHERE name = ?")) {
                select.setString(1, name);
                try (ResultSet rows = select.executeQuery()) {
                    rows.next();
                    return rows.getInt(1);
                }
            }
        });
    }
}
