package com.rainforestqa.integrations.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's nginx running a site configuration in front of the service, as an operator would run it: in the
 * foreground, in a directory of its own, on a free loopback port.
 */
final class Nginx implements AutoCloseable {
    private final Process process;
    private final int port;

    private Nginx(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts nginx with a site, once it listens.
     *
     * @param dir an empty directory for its files
     * @param site the site configuration, with {@code listen 80;}, which becomes the free port
     * @return the running nginx
     */
    static Nginx start(Path dir, String site) throws Exception {
        Path nginx = installed();
        int port = freePort();
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("site.conf"), site.replace("listen 80;", "listen 127.0.0.1:" + port + ";"));
        Files.writeString(dir.resolve("nginx.conf"), """
                worker_processes 1;
                daemon off;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                events { worker_connections 256; }
                http {
                    access_log off;
                    client_body_temp_path %1$s;
                    proxy_temp_path %1$s;
                    include %1$s/site.conf;
                }
                """.formatted(dir));
        Process process = new ProcessBuilder(nginx.toString(), "-c", dir.resolve("nginx.conf").toString(),
                "-p", dir.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("out.log").toFile())
                .start();
        Nginx started = new Nginx(process, port);
        try {
            started.awaitPort(dir);
        } catch (Exception | AssertionError e) {
            started.close();
            throw e;
        }
        return started;
    }

    /** @return the port nginx listens on */
    int port() {
        return port;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Debian's nginx, installed from its packages (as the benchmark does) when the machine has none. */
    private static Path installed() throws IOException, InterruptedException {
        Path nginx = Path.of("/usr/sbin/nginx");
        if (!Files.isExecutable(nginx)) {
            for (List<String> command : List.of(List.of("apt-get", "update", "-qq"),
                    List.of("apt-get", "install", "-y", "-qq", "--no-install-recommends", "nginx-light"))) {
                ProcessBuilder install = new ProcessBuilder(command).inheritIO();
                install.environment().put("DEBIAN_FRONTEND", "noninteractive");
                assertThat(install.start().waitFor()).as(String.join(" ", command)).isZero();
            }
        }
        assertThat(nginx).isExecutable();
        return nginx;
    }

    private void awaitPort(Path dir) throws Exception {
        Instant deadline = Instant.now().plusSeconds(20);
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                return;
            } catch (IOException e) {
                assertThat(process.isAlive()).as("nginx: " + Files.readString(dir.resolve("out.log"))).isTrue();
                assertThat(Instant.now()).as("nginx listening").isBefore(deadline);
                Thread.sleep(50);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
