package com.rainforestqa.integrations.bench;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * A target that answers {@code ok} after a fixed delay, for the fan-out measurement. Each request runs on its own
 * virtual thread, so waiting requests cost no platform threads and answers do not queue behind each other.
 *
 * <p>Arguments: the port to listen on and the delay in milliseconds.
 */
public final class SlowTarget {
    private SlowTarget() {
    }

    /**
     * Starts the target.
     *
     * @param args port and delay in milliseconds
     */
    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        long delay = Long.parseLong(args[1]);
        WebServer.builder()
                .port(port)
                .host("127.0.0.1")
                .routing(routing -> routing.any((request, response) -> {
                    try (InputStream in = request.content().inputStream()) {
                        in.transferTo(OutputStream.nullOutputStream());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    try {
                        Thread.sleep(delay);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    response.header(HeaderNames.CONTENT_TYPE, "text/plain");
                    response.send("ok");
                }))
                .build()
                .start();
    }
}
