package com.rainforestqa.integrations.host.io;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/** Reads a stream up to a limit, allocating for what arrives rather than for the limit. */
public final class BoundedReads {
    private static final int CHUNK = 2048;
    /**
     * The most an announced size allocates before the data arrives: a client that announces a large body and sends it
     * slowly, on many connections, must not make the host hold the whole announced size for each.
     */
    private static final int MAX_ANNOUNCED = 16 * 1024;

    private BoundedReads() {
    }

    /**
     * Reads until the end of the stream or {@code limit} bytes, whichever comes first, allocating for what arrives
     * rather than for the limit: {@link InputStream#readNBytes(int)} starts with a 16 KiB buffer whatever the size of
     * the data, far more than the small bodies of events and of targets' answers need, and every event reads both.
     *
     * <p>The buffer starts at the size the sender announced (an HTTP {@code Content-Length}), so that a body that keeps
     * its word is read without growing or trimming a buffer, or at 2 KiB when nothing was announced. The announcement
     * is only a hint: more or less data is read just the same, and a large one allocates at most 16 KiB before data
     * arrives.
     *
     * @param in the stream; not closed
     * @param limit the most bytes to read
     * @param expected how many bytes the stream should hold, or a negative number if unknown
     * @return the bytes read
     * @throws IOException if reading fails
     */
    public static byte[] readAtMost(InputStream in, int limit, long expected) throws IOException {
        byte[] buffer = new byte[(int) Math.min(limit, expected < 0 ? CHUNK : Math.min(expected, MAX_ANNOUNCED))];
        int size = 0;
        while (size < limit) {
            if (size == buffer.length) {
                // Full: one byte tells whether there is more before a larger buffer is allocated for it.
                int next = in.read();
                if (next < 0) {
                    break;
                }
                buffer = Arrays.copyOf(buffer, (int) Math.min(limit, Math.max(CHUNK, 2L * buffer.length)));
                buffer[size++] = (byte) next;
                continue;
            }
            int read = in.read(buffer, size, buffer.length - size);
            if (read < 0) {
                break;
            }
            size += read;
        }
        return size == buffer.length ? buffer : Arrays.copyOf(buffer, size);
    }
}
