package com.rainforestqa.integrations.host.store;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A process for {@link StoreCrashTest} to kill: it opens the embedded store in the directory of its argument with
 * lazy syncs an hour apart, writes the row {@code durable} with {@link Store#write} and then the row {@code lazy}
 * with {@link Store#writeLazily}, says {@code written} and waits to be killed.
 */
public final class CrashingWriter {
    private CrashingWriter() {
    }

    /**
     * @param args the data directory
     * @throws InterruptedException never: it is killed while it sleeps
     */
    public static void main(String[] args) throws InterruptedException {
        Store store = Store.open(StoreCrashTest.settings(Path.of(args[0])), (int) Duration.ofHours(1).toMillis());
        store.write(transaction -> StoreCrashTest.insert(transaction, "durable"));
        store.writeLazily(transaction -> StoreCrashTest.insert(transaction, "lazy"));
        System.out.println("written");
        System.out.flush();
        Thread.sleep(Duration.ofHours(1));
    }
}
