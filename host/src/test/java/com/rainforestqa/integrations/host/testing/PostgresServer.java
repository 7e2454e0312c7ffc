package com.rainforestqa.integrations.host.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for a test: the machine's own installation (Debian's {@code postgresql} package, which
 * {@code .ci/run} installs when it is missing) run on a fresh cluster in a directory of its own, on a free loopback
 * port, with password authentication. The test can stop it, kill it and start it again.
 *
 * <p>PostgreSQL refuses to run as root, so a root test runs its programs as the {@code postgres} user the package
 * creates.
 */
public final class PostgresServer implements AutoCloseable {
    /** The superuser, which the tests and the services under test use. */
    public static final String USER = "postgres";
    /** Its password. */
    public static final String PASSWORD = "rainforest-test-password";

    private final Path bin;
    private final Path base;
    private final int port;
    private boolean running;

    private PostgresServer(Path bin, Path base, int port) {
        this.bin = bin;
        this.base = base;
        this.port = port;
    }

    /**
     * Creates a cluster and starts it.
     *
     * @return the running server
     * @throws IllegalStateException if PostgreSQL is not installed, or does not start
     */
    public static PostgresServer start() {
        Path bin = binaries();
        try {
            Path base = Files.createTempDirectory("rainforest-postgres-");
            if (root()) {
                UserPrincipal postgres = base.getFileSystem().getUserPrincipalLookupService()
                        .lookupPrincipalByName(USER);
                Files.setOwner(base, postgres);
            }
            Path passwordFile = base.resolve("password");
            Files.writeString(passwordFile, PASSWORD + "\n", StandardCharsets.UTF_8);
            if (root()) {
                Files.setOwner(passwordFile, Files.getOwner(base));
            }
            PostgresServer server = new PostgresServer(bin, base, freePort());
            server.run(List.of(bin.resolve("initdb").toString(), "--pgdata=" + server.data(), "--username=" + USER,
                    "--pwfile=" + passwordFile, "--auth-host=scram-sha-256", "--auth-local=trust",
                    "--encoding=UTF8", "--locale=C.UTF-8"));
            server.startAgain();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the JDBC URL of the {@code postgres} database */
    public String url() {
        return url("postgres");
    }

    /**
     * @param database a database's name
     * @return its JDBC URL
     */
    public String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** @return the port the server listens on */
    public int port() {
        return port;
    }

    /**
     * Creates an empty database.
     *
     * @param name its name: letters, digits and underscores
     * @return its JDBC URL
     */
    public String createDatabase(String name) {
        if (!name.matches("[a-z0-9_]+")) {
            throw new IllegalArgumentException("not a plain database name: " + name);
        }
        try (Connection connection = DriverManager.getConnection(url(), USER, PASSWORD);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
        }
        return url(name);
    }

    /** Stops the server as an operator would ({@code pg_ctl stop -m fast}): clients are disconnected. */
    public void stop() {
        pgCtl("stop", "-m", "fast");
        running = false;
    }

    /** Stops the server without a shutdown checkpoint, as a crash would ({@code pg_ctl stop -m immediate}). */
    public void kill() {
        pgCtl("stop", "-m", "immediate");
        running = false;
    }

    /** Starts the stopped server again, on the same port, with the same data. */
    public void startAgain() {
        pgCtl("start", "-w", "-t", "60", "-l", base.resolve("server.log").toString(), "-o",
                "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=" + base
                        + " -c max_connections=200");
        running = true;
    }

    /** @return the server's own log, for a failing test's message */
    public String log() {
        try {
            return Files.readString(base.resolve("server.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Stops the server and deletes its files. */
    @Override
    public void close() {
        try {
            if (running) {
                kill();
            }
        } finally {
            delete(base);
        }
    }

    private Path data() {
        return base.resolve("data");
    }

    private void pgCtl(String... arguments) {
        List<String> command = new ArrayList<>(List.of(bin.resolve("pg_ctl").toString(), "-D", data().toString()));
        command.addAll(List.of(arguments));
        run(command);
    }

    private void run(List<String> command) {
        List<String> full = new ArrayList<>();
        if (root()) {
            full.addAll(List.of("runuser", "-u", USER, "--"));
        }
        full.addAll(command);
        try {
            Process process = new ProcessBuilder(full).redirectErrorStream(true)
                    .redirectOutput(base.resolve("commands.log").toFile().exists()
                            ? ProcessBuilder.Redirect.appendTo(base.resolve("commands.log").toFile())
                            : ProcessBuilder.Redirect.to(base.resolve("commands.log").toFile()))
                    .start();
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in two minutes");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed with status "
                        + process.exitValue() + ":\n" + Files.readString(base.resolve("commands.log")) + "\n" + log());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command.getFirst(), e);
        }
    }

    /**
     * The newest PostgreSQL installed the Debian way, or what {@code PG_BIN} names. A root test on a machine without
     * one installs Debian's package, as {@code .ci/run} does, so that {@code mvn -B verify} needs no set-up.
     */
    private static Path binaries() {
        Optional<Path> named = Optional.ofNullable(System.getenv("PG_BIN")).map(Path::of);
        if (named.isPresent()) {
            return named.get();
        }
        Optional<Path> installed = debianBinaries();
        if (installed.isEmpty() && root() && Files.isExecutable(Path.of("/usr/bin/apt-get"))) {
            install();
            installed = debianBinaries();
        }
        return installed.orElseThrow(() -> new IllegalStateException("PostgreSQL is not installed: these tests "
                + "start a real server. Install Debian's postgresql package (apt-get install postgresql; .ci/run "
                + "does), or set PG_BIN to the directory that holds initdb and pg_ctl"));
    }

    private static void install() {
        for (List<String> command : List.of(List.of("apt-get", "update", "-qq"),
                List.of("apt-get", "install", "-y", "-qq", "--no-install-recommends", "postgresql"))) {
            try {
                ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
                builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
                int status = builder.start().waitFor();
                if (status != 0) {
                    throw new IllegalStateException(String.join(" ", command) + " failed with status " + status);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while installing PostgreSQL", e);
            }
        }
    }

    private static Optional<Path> debianBinaries() {
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                return versions.map(version -> version.resolve("bin"))
                        .filter(dir -> Files.isExecutable(dir.resolve("initdb")))
                        .max(Comparator.comparingInt(dir -> Integer.parseInt(dir.getParent().getFileName()
                                .toString().replaceAll("\\D", "0"))));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return Optional.empty();
    }

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException e) {
            // Left in the temporary directory.
        }
    }
}
