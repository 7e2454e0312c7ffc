package com.rainforestqa.integrations.host.io;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.ThreadMXBean;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

class BoundedReadsTest {
    private static byte[] bytes(int size) {
        byte[] data = new byte[size];
        new Random(size).nextBytes(data);
        return data;
    }

    @Test
    void readsEverythingUnderTheLimit() throws IOException {
        for (int size : new int[] {0, 1, 2047, 2048, 2049, 10_000}) {
            byte[] data = bytes(size);
            assertThat(BoundedReads.readAtMost(new ByteArrayInputStream(data), 20_000, -1)).as("%d bytes", size)
                    .isEqualTo(data);
        }
    }

    @Test
    void stopsAtTheLimitAndLeavesTheRestUnread() throws IOException {
        for (int limit : new int[] {0, 1, 100, 2048, 2049, 5000}) {
            byte[] data = bytes(6000);
            InputStream in = new ByteArrayInputStream(data);

            byte[] read = BoundedReads.readAtMost(in, limit, -1);

            assertThat(read).as("limit %d", limit).hasSize(limit).isEqualTo(Arrays.copyOf(data, limit));
            assertThat(in.available()).isEqualTo(6000 - limit);
        }
    }

    @Test
    void readsAStreamThatArrivesInSmallPieces() throws IOException {
        byte[] data = bytes(7000);
        ByteArrayInputStream source = new ByteArrayInputStream(data);
        // Three bytes at a time, as a slow network would hand them over.
        InputStream trickle = new InputStream() {
            @Override
            public int read() throws IOException {
                return source.read();
            }

            @Override
            public int read(byte[] buffer, int offset, int length) {
                return source.read(buffer, offset, Math.min(length, 3));
            }
        };

        assertThat(BoundedReads.readAtMost(trickle, 8000, -1)).isEqualTo(data);
    }

    @Test
    void theAnnouncedSizeIsOnlyAHint() throws IOException {
        byte[] data = bytes(3000);
        for (long expected : new long[] {-1, 0, 1, 2999, 3000, 3001, 1_000_000}) {
            assertThat(BoundedReads.readAtMost(new ByteArrayInputStream(data), 20_000, expected))
                    .as("announced %d", expected).isEqualTo(data);
            InputStream in = new ByteArrayInputStream(data);
            assertThat(BoundedReads.readAtMost(in, 1000, expected)).as("announced %d, limit 1000", expected)
                    .isEqualTo(Arrays.copyOf(data, 1000));
            assertThat(in.available()).isEqualTo(2000);
        }
    }

    @Test
    void aLargeAnnouncementDoesNotAllocateAheadOfTheData() throws IOException {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        byte[] data = bytes(10);
        BoundedReads.readAtMost(new ByteArrayInputStream(data), 64 * 1024 * 1024, 64 * 1024 * 1024);
        long before = threads.getCurrentThreadAllocatedBytes();

        byte[] read = BoundedReads.readAtMost(new ByteArrayInputStream(data), 64 * 1024 * 1024, 64 * 1024 * 1024);

        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(read).isEqualTo(data);
        assertThat(allocated).as("bytes allocated for a 10-byte body announced as 64 MiB").isLessThan(64 * 1024);
    }
}
