package com.rainforestqa.integrations.testkit;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A real HTTP server on the loopback address that stands in for a target service (Slack, Jira, ...) in tests.
 *
 * <p>It records every request it receives and answers from a script: the replies given to {@link #enqueue} are used
 * once each, in order; when the script is empty it answers with the default reply, initially 200 with body
 * {@code ok}. Requests are recorded before the reply is chosen, so a request whose reply is delayed past the client's
 * time-out is still recorded.
 *
 * <pre>{@code
 * try (FakeTarget slack = FakeTarget.start()) {
 *     slack.enqueue(Reply.slackError(404, "channel_not_found"));
 *     // ... deliver an event to slack.uri("/services/T1/B2/xyz") ...
 *     assertThat(slack.onlyRequest().json().getString("text")).isEqualTo("...");
 * }
 * }</pre>
 *
 * <p>Thread-safe: requests are served on virtual threads, and the script and the record may be used from any thread.
 */
public final class FakeTarget implements AutoCloseable {
    private static final String HOST = "127.0.0.1";

    private final HttpServer server;
    private final ExecutorService executor;
    private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final Queue<Reply> script = new ConcurrentLinkedQueue<>();
    private volatile Reply defaultReply = Reply.status(200, "ok");
    private volatile Function<RecordedRequest, Reply> responder;

    private FakeTarget(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Starts a target on {@code 127.0.0.1} and a free port.
     *
     * @return the running target; close it when done
     * @throws UncheckedIOException if the server cannot bind
     */
    public static FakeTarget start() {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(HOST, 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the fake target", e);
        }
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        FakeTarget target = new FakeTarget(server, executor);
        server.createContext("/", target::handle);
        server.setExecutor(executor);
        server.start();
        return target;
    }

    /**
     * The port the target listens on.
     *
     * @return the port
     */
    public int port() {
        return server.getAddress().getPort();
    }

    /**
     * An absolute URI on this target.
     *
     * @param path the path, starting with {@code /}, optionally with a query
     * @return for example {@code http://127.0.0.1:40123/services/T1/B2/xyz}
     * @throws IllegalArgumentException if the path does not start with {@code /}
     */
    public URI uri(String path) {
        requireNonNull(path, "path is null");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with /: " + path);
        }
        return URI.create("http://" + HOST + ":" + port() + path);
    }

    /**
     * Adds replies to the end of the script; each answers one request, in order.
     *
     * @param replies the replies
     */
    public void enqueue(Reply... replies) {
        for (Reply reply : replies) {
            script.add(requireNonNull(reply, "reply is null"));
        }
    }

    /**
     * Sets the reply used whenever the script is empty.
     *
     * @param reply the reply
     */
    public void setDefaultReply(Reply reply) {
        defaultReply = requireNonNull(reply, "reply is null");
        responder = null;
    }

    /**
     * The requests received so far, in the order they arrived.
     *
     * @return an unmodifiable snapshot
     */
    public List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /**
     * The one request received so far.
     *
     * @return the request
     * @throws AssertionError if the target received no request or more than one
     */
    public RecordedRequest onlyRequest() {
        List<RecordedRequest> received = requests();
        if (received.size() != 1) {
            throw new AssertionError("expected exactly one request, got " + received.size() + ": " + received);
        }
        return received.getFirst();
    }

    /**
     * Answers with a function of the request whenever the script is empty, instead of the default reply: for fakes
     * that keep state, such as a tracker that remembers the issues it created. Requests are still recorded first, and
     * scripted replies still come first. {@link #setDefaultReply} and {@link #reset()} remove the responder.
     *
     * @param responder chooses the reply; called on the server's threads, so it must be thread-safe
     */
    public void respondWith(Function<RecordedRequest, Reply> responder) {
        this.responder = requireNonNull(responder, "responder is null");
    }

    /**
     * Forgets the requests received so far and the replies not yet used, and answers {@code 200 ok} again, so one
     * target can serve several tests.
     */
    public void reset() {
        requests.clear();
        script.clear();
        defaultReply = Reply.status(200, "ok");
        responder = null;
    }

    /**
     * Stops the server at once; replies still waiting out a delay are abandoned.
     */
    @Override
    public void close() {
        server.stop(0);
        // Interrupts handlers sleeping in a delayed reply, so closing never waits for them.
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            URI uri = exchange.getRequestURI();
            RecordedRequest request = new RecordedRequest(exchange.getRequestMethod(), uri.getRawPath(),
                    uri.getRawQuery() == null ? "" : uri.getRawQuery(), exchange.getRequestHeaders(),
                    new String(body, StandardCharsets.UTF_8));
            requests.add(request);

            Reply reply = script.poll();
            if (reply == null) {
                Function<RecordedRequest, Reply> current = responder;
                reply = current != null ? current.apply(request) : defaultReply;
            }
            if (!reply.delay().isZero()) {
                try {
                    Thread.sleep(reply.delay());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            reply.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
            byte[] answer = reply.body().getBytes(StandardCharsets.UTF_8);
            // -1 tells the server there is no body, as HTTP requires for HEAD, 204 and 304.
            boolean withBody = answer.length > 0 && !exchange.getRequestMethod().equals("HEAD");
            exchange.sendResponseHeaders(reply.status(), withBody ? answer.length : -1);
            if (withBody) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(answer);
                }
            }
        }
    }
}
