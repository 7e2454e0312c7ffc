package com.rainforestqa.integrations.distribution;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The JDKs installed under {@code /usr/lib/jvm}, where the start script looks when nothing else fits. */
final class Jdks {
    static final Path JVM_DIR = Path.of("/usr/lib/jvm");

    private static final Pattern JAVA_VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"(?:1\\.)?(\\d+)");

    /** One JDK: its home and its major version. */
    record Jdk(Path home, int major) {
        Path bin() {
            return home.resolve("bin");
        }
    }

    private Jdks() {
    }

    /** The JDKs with a {@code release} file and an executable {@code bin/java}, each once, oldest first. */
    static List<Jdk> installed() {
        if (!Files.isDirectory(JVM_DIR)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(JVM_DIR)) {
            return entries.map(Jdks::realPath).distinct()
                    .filter(home -> Files.isExecutable(home.resolve("bin").resolve("java")))
                    .flatMap(home -> major(home).map(major -> new Jdk(home, major)).stream())
                    .sorted(Comparator.comparingInt(Jdk::major))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JDK older than {@code version}, if one is installed. */
    static Optional<Jdk> olderThan(int version) {
        return installed().stream().filter(jdk -> jdk.major() < version).findFirst();
    }

    /** Whether a JDK of {@code version} or newer is installed. */
    static boolean hasAtLeast(int version) {
        return installed().stream().anyMatch(jdk -> jdk.major() >= version);
    }

    private static Optional<Integer> major(Path home) {
        Path release = home.resolve("release");
        if (!Files.isRegularFile(release)) {
            return Optional.empty();
        }
        try {
            Matcher matcher = JAVA_VERSION.matcher(Files.readString(release));
            return matcher.find() ? Optional.of(Integer.parseInt(matcher.group(1))) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path realPath(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
