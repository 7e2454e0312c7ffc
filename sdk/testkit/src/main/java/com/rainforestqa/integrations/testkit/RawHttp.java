package com.rainforestqa.integrations.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Bytes sent to a server as they are, for tests of what no HTTP client would send: half requests, bad framing. */
public final class RawHttp {
    /** Ends an answer the server closed the connection after. */
    public static final String CLOSED = "<closed>";
    /** Ends an answer after which the connection stayed open and silent. */
    public static final String OPEN = "<open>";

    private RawHttp() {
    }

    /**
     * Sends {@code request} to 127.0.0.1 and reads the answer until the server closes the connection or {@code wait}
     * passes in silence.
     *
     * @param port the server's port
     * @param request the bytes to send, one char per byte (ISO-8859-1); may be empty
     * @param wait the longest silence to wait through
     * @return the answer followed by {@link #CLOSED} or {@link #OPEN}
     * @throws IOException if the connection cannot be made
     */
    public static String exchange(int port, String request, Duration wait) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(Math.toIntExact(wait.toMillis()));
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                    answer.write(buffer, 0, read);
                }
                return answer.toString(StandardCharsets.ISO_8859_1) + CLOSED;
            } catch (SocketTimeoutException e) {
                return answer.toString(StandardCharsets.ISO_8859_1) + OPEN;
            } catch (IOException e) {
                // A reset after the answer: the server closed with unread bytes in its buffer.
                return answer.toString(StandardCharsets.ISO_8859_1) + CLOSED;
            }
        }
    }
}
