package com.rainforestqa.integrations.host.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.junit.jupiter.api.Test;

/** The console handler writes from a thread of its own: nothing is lost, reordered or left waiting. */
class ConsoleLogHandlerTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    private static LogRecord record(String message) {
        LogRecord record = new LogRecord(Level.INFO, message);
        record.setLoggerName("test");
        return record;
    }

    private String output() {
        synchronized (bytes) {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    private List<String> messages() {
        return Arrays.stream(output().split(System.lineSeparator()))
                .map(line -> line.substring(line.indexOf("test: ") + "test: ".length()))
                .toList();
    }

    @Test
    void linesFromManyVirtualThreadsAllArriveEachThreadsInOrder() throws InterruptedException {
        ConsoleLogHandler handler = new ConsoleLogHandler(new PrintStream(bytes, false, StandardCharsets.UTF_8));
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            threads.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; i < 2000; i++) {
                    handler.publish(record(thread + "/" + i));
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        handler.close();

        List<String> messages = messages();
        assertThat(messages).hasSize(8 * 2000);
        Map<String, Integer> last = new HashMap<>();
        for (String message : messages) {
            String[] parts = message.split("/");
            int previous = last.getOrDefault(parts[0], -1);
            assertThat(Integer.parseInt(parts[1])).as(message).isEqualTo(previous + 1);
            last.put(parts[0], previous + 1);
        }
    }

    @Test
    void aLineToAnIdleHandlerIsWrittenWithoutAFlush() {
        ConsoleLogHandler handler = new ConsoleLogHandler(new PrintStream(bytes, false, StandardCharsets.UTF_8));
        handler.publish(record("first"));
        awaitUntil(() -> output().contains("first"));
        // Long enough for the writer to stop lingering and go idle: the next line has to wake it.
        sleep(Duration.ofMillis(50));

        handler.publish(record("second"));

        awaitUntil(() -> output().contains("second"));
        handler.close();
    }

    @Test
    void afterCloseLinesAreWrittenAtOnce() {
        ConsoleLogHandler handler = new ConsoleLogHandler(new PrintStream(bytes, false, StandardCharsets.UTF_8));
        handler.publish(record("before"));
        handler.close();
        assertThat(messages()).containsExactly("before");

        handler.publish(record("after"));

        assertThat(messages()).containsExactly("before", "after");
    }

    @Test
    void aStuckOutputMakesPublishersWaitInsteadOfQueueingWithoutBound() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        OutputStream stuck = new FilterOutputStream(bytes) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
                synchronized (bytes) {
                    bytes.write(b, off, len);
                }
            }
        };
        ConsoleLogHandler handler = new ConsoleLogHandler(new PrintStream(stuck, false, StandardCharsets.UTF_8));
        int lines = ConsoleLogHandler.CAPACITY + 100;
        Thread publisher = Thread.ofVirtual().start(() -> {
            for (int i = 0; i < lines; i++) {
                handler.publish(record("line " + i));
            }
        });

        publisher.join(Duration.ofMillis(500));
        assertThat(publisher.isAlive()).as("the publisher waits while the output is stuck").isTrue();

        release.countDown();
        publisher.join();
        handler.close();
        assertThat(messages()).hasSize(lines).endsWith("line " + (lines - 1));
    }

    private static void awaitUntil(Supplier<Boolean> condition) {
        Instant end = Instant.now().plusSeconds(10);
        while (!condition.get()) {
            assertThat(Instant.now()).as("waited 10 s").isBefore(end);
            sleep(Duration.ofMillis(5));
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
