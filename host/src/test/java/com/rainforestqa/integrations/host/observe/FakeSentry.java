package com.rainforestqa.integrations.host.observe;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * A local stand-in for Sentry's ingestion API: accepts envelopes on {@code POST /api/<project>/envelope/}, gzip or
 * plain, as the SDK sends them, and keeps their text.
 */
final class FakeSentry implements AutoCloseable {
    private final HttpServer server;
    private final List<String> envelopes = new CopyOnWriteArrayList<>();
    private final List<String> paths = new CopyOnWriteArrayList<>();

    private FakeSentry(HttpServer server) {
        this.server = server;
    }

    static FakeSentry start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            FakeSentry sentry = new FakeSentry(server);
            server.createContext("/", sentry::handle);
            server.start();
            return sentry;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return a DSN pointing at this server, project 1 */
    String dsn() {
        return "http://public-key@127.0.0.1:" + server.getAddress().getPort() + "/1";
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String encoding = Optional.ofNullable(exchange.getRequestHeaders().getFirst("Content-Encoding")).orElse("");
            if (encoding.equalsIgnoreCase("gzip")) {
                try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
                    body = in.readAllBytes();
                }
            }
            paths.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            envelopes.add(new String(body, StandardCharsets.UTF_8));
            byte[] answer = "{\"id\":\"0\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
        }
    }

    /** @return the method and path of every request received */
    List<String> paths() {
        return List.copyOf(paths);
    }

    /** @return the text of every envelope received */
    List<String> envelopes() {
        return List.copyOf(envelopes);
    }

    /**
     * Waits, within a bound, for an error event that matches.
     *
     * @param matches which event
     * @return the event's JSON, or empty when none came in time
     */
    Optional<JsonObject> awaitEvent(Predicate<JsonObject> matches) {
        Instant until = Instant.now().plus(Duration.ofSeconds(10));
        while (Instant.now().isBefore(until)) {
            Optional<JsonObject> found = events().stream().filter(matches).findFirst();
            if (found.isPresent()) {
                return found;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** @return every error event received: the envelope items that carry a {@code level} */
    List<JsonObject> events() {
        return envelopes.stream()
                .flatMap(envelope -> envelope.lines())
                .filter(line -> line.startsWith("{"))
                .map(FakeSentry::parse)
                .filter(json -> json.containsKey("level") && json.containsKey("event_id"))
                .toList();
    }

    private static JsonObject parse(String line) {
        try (JsonReader reader = Json.createReader(new StringReader(line))) {
            return reader.readObject();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
