package com.rainforestqa.integrations.distribution;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The installation's start script running as a separate process, its output going to a log file.
 *
 * <p>Not thread-safe: one test drives it.
 */
final class ServiceProcess implements AutoCloseable {
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /** The first stop of an installation writes its start-up cache, which takes a few seconds more. */
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final int port;
    private final int adminPort;
    private final Path log;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final List<ProcessHandle> strays = new ArrayList<>();

    private ServiceProcess(Process process, int port, int adminPort, Path log) {
        this.process = process;
        this.port = port;
        this.adminPort = adminPort;
        this.log = log;
    }

    /**
     * Runs {@code script} with {@code SERVER_PORT} set to a free port, and {@code SERVER_SOCKETS_ADMIN_PORT}, the
     * operators' port, to another.
     *
     * @param script the start script, or a link to it
     * @param workingDirectory the working directory of the process
     * @param environment variables to set; a null value removes the variable
     * @param log where the process's stdout and stderr go
     */
    static ServiceProcess start(Path script, Path workingDirectory, Map<String, String> environment, Path log) {
        requireNonNull(environment, "environment is null");
        int port = freePort();
        int adminPort = freePort(port);
        ProcessBuilder builder = new ProcessBuilder(script.toString())
                .directory(workingDirectory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        environment.forEach((name, value) -> {
            if (value == null) {
                env.remove(name);
            } else {
                env.put(name, value);
            }
        });
        env.put("SERVER_PORT", Integer.toString(port));
        env.put("SERVER_SOCKETS_ADMIN_PORT", Integer.toString(adminPort));
        // One start-up cache for the tests, in the build's own directory rather than the developer's home.
        env.putIfAbsent("INTEGRATIONS_CACHE_DIR", Installation.logsDirectory().resolveSibling("start-up-cache")
                .toString());
        try {
            Files.createDirectories(log.getParent());
            return new ServiceProcess(builder.start(), port, adminPort, log);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + script, e);
        }
    }

    int port() {
        return port;
    }

    /** The port of the operators' socket: the delivery API, the plugin inventory, health and metrics. */
    int adminPort() {
        return adminPort;
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** A path on the operators' socket. */
    URI adminUri(String path) {
        return URI.create("http://127.0.0.1:" + adminPort + path);
    }

    Process process() {
        return process;
    }

    /** What the process printed so far. */
    String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    /**
     * Waits until {@code GET /integrations} answers 200.
     *
     * @throws AssertionError with the process output if the process exits or does not answer within
     *         {@link #START_TIMEOUT}
     */
    void awaitReady() throws InterruptedException {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        HttpRequest request = HttpRequest.newBuilder(uri("/integrations")).timeout(Duration.ofSeconds(5)).GET().build();
        String lastAnswer = "no answer";
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new AssertionError("the service exited with code " + process.exitValue()
                        + " before it answered; its output:\n" + output());
            }
            try {
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
                lastAnswer = response.statusCode() + " " + response.body();
            } catch (IOException e) {
                lastAnswer = e.toString();
            }
            Thread.sleep(200);
        }
        throw new AssertionError("GET /integrations did not answer 200 within " + START_TIMEOUT
                + " (last: " + lastAnswer + "); the service's output:\n" + output());
    }

    /**
     * Sends SIGTERM and waits for the process to exit.
     *
     * @return the exit code
     * @throws AssertionError if it is still running after {@link #STOP_TIMEOUT}
     */
    int stop() throws InterruptedException {
        // Only a script that failed to exec the JVM has children; remember them so close() can end them.
        strays.addAll(process.descendants().toList());
        process.destroy();
        if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the service did not stop within " + STOP_TIMEOUT + " of SIGTERM; its output:\n"
                    + output());
        }
        return process.exitValue();
    }

    /**
     * Sends SIGKILL, as a crash or {@code kill -9} would: no shutdown hook runs, nothing is flushed or closed.
     *
     * @return the exit code, 137 on Linux
     * @throws AssertionError if the process has not gone after {@link #STOP_TIMEOUT}
     */
    int kill() throws InterruptedException {
        strays.addAll(process.descendants().toList());
        process.destroyForcibly();
        if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the service did not end within " + STOP_TIMEOUT + " of SIGKILL");
        }
        return process.exitValue();
    }

    /**
     * Waits for a process that is expected to end by itself, such as one that refuses to start.
     *
     * @return the exit code
     * @throws AssertionError with the process output if it still runs after {@link #START_TIMEOUT}
     */
    int awaitExit() throws InterruptedException {
        if (!process.waitFor(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the service still runs " + START_TIMEOUT + " after its start; its output:\n"
                    + output());
        }
        return process.exitValue();
    }

    /** Whether something accepts connections on the service's port. */
    boolean accepting() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Kills the process and anything it started, if a test left them running. */
    @Override
    public void close() {
        client.close();
        strays.addAll(process.descendants().toList());
        strays.forEach(ProcessHandle::destroyForcibly);
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A port free now, other than those given (the system may hand out a port it just closed again). */
    private static int freePort(int... taken) {
        for (int tries = 0; tries < 10; tries++) {
            try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
                int port = socket.getLocalPort();
                if (Arrays.stream(taken).noneMatch(other -> other == port)) {
                    return port;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("no free port", e);
            }
        }
        throw new IllegalStateException("no free port other than " + Arrays.toString(taken));
    }
}
