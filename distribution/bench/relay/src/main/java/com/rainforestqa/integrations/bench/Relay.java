package com.rainforestqa.integrations.bench;

import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;
import io.helidon.webserver.WebServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * The floor of the benchmark: a Helidon SE handler that reads the body and POSTs it to one target with the WebClient
 * settings of the host's {@code OutboundClient}, and nothing else. Whatever the service costs beyond this is its own
 * validation, signature check, dispatch and message building.
 *
 * <p>Arguments: the port to listen on and the target URL.
 */
public final class Relay {
    private Relay() {
    }

    /**
     * Starts the relay.
     *
     * @param args port and target URL
     */
    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        String target = args[1];
        // The host's settings: same timeouts as its defaults, no redirects, a connection cache of its own.
        WebClient client = WebClient.builder()
                .connectTimeout(Duration.ofSeconds(5))
                .readTimeout(Duration.ofSeconds(10))
                .followRedirects(false)
                .shareConnectionCache(false)
                .build();
        WebServer.builder()
                .port(port)
                .host("127.0.0.1")
                .routing(routing -> routing.post("/events", (request, response) -> {
                    byte[] body = read(request.content().inputStream());
                    try (HttpClientResponse answer = client.post(target)
                            .header(HeaderNames.CONTENT_TYPE, "application/json")
                            .submit(body)) {
                        byte[] text = read(answer.inputStream());
                        response.status(answer.status().code() / 100 == 2 ? Status.CREATED_201
                                : Status.BAD_REQUEST_400);
                        response.header(HeaderNames.CONTENT_TYPE, "application/json");
                        response.send(("{\"status\":\"ok\",\"answer\":" + text.length + "}").getBytes());
                    }
                }))
                .build()
                .start();
    }

    private static byte[] read(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
