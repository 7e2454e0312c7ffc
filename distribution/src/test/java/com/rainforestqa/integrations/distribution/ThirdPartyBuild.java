package com.rainforestqa.integrations.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Maven run as a plugin author runs it, outside the reactor: against the plugin SDK that the build installs into a
 * private local repository under {@code target/} (never {@code ~/.m2}), and with what else it needs taken from the
 * build's own cache first and Maven Central second, so a warm machine needs no network. Nothing is written to the
 * build's cache.
 */
final class ThirdPartyBuild {
    private final Path settings;

    private ThirdPartyBuild(Path settings) {
        this.settings = settings;
    }

    /**
     * Writes the settings such builds use.
     *
     * @param directory where to write them
     * @return a builder using them
     */
    static ThirdPartyBuild in(Path directory) throws IOException {
        String cache = Path.of(System.getProperty("maven.cache")).toUri().toString();
        Path settings = Files.writeString(directory.resolve("settings.xml"), """
                <settings>
                  <profiles>
                    <profile>
                      <id>build-cache-first</id>
                      <repositories>
                        <repository><id>build-cache</id><url>%1$s</url></repository>
                        <repository><id>central</id><url>https://repo.maven.apache.org/maven2</url></repository>
                      </repositories>
                      <pluginRepositories>
                        <pluginRepository><id>build-cache</id><url>%1$s</url></pluginRepository>
                        <pluginRepository><id>central</id><url>https://repo.maven.apache.org/maven2</url></pluginRepository>
                      </pluginRepositories>
                    </profile>
                  </profiles>
                  <activeProfiles><activeProfile>build-cache-first</activeProfile></activeProfiles>
                </settings>
                """.formatted(cache));
        return new ThirdPartyBuild(settings);
    }

    /**
     * Runs Maven and asserts that it succeeded.
     *
     * @param directory the working directory
     * @param logName the name of the log file, in the logs directory
     * @param args Maven's arguments after the settings and repository options
     */
    void mvn(Path directory, String logName, String... args) throws IOException, InterruptedException {
        Path maven = Path.of(System.getProperty("maven.home"), "bin", "mvn");
        Path log = Installation.logsDirectory().resolve(logName);
        Files.createDirectories(log.getParent());
        List<String> command = new ArrayList<>(List.of(maven.toString(), "-B", "-s", settings.toString(),
                "-Dmaven.repo.local=" + System.getProperty("example.repository")));
        command.addAll(List.of(args));
        Process build = new ProcessBuilder(command).directory(directory.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!build.waitFor(10, TimeUnit.MINUTES)) {
            build.destroyForcibly();
            throw new AssertionError("mvn " + String.join(" ", args) + " did not finish in 10 minutes; see " + log);
        }
        assertThat(build.exitValue()).as("mvn %s; its output:\n%s", String.join(" ", args),
                Files.readString(log, StandardCharsets.UTF_8)).isZero();
    }

    /**
     * Copies a directory tree.
     *
     * @param from the tree
     * @param to where the copy goes
     * @param include which paths, relative to {@code from}, are copied
     */
    static void copyTree(Path from, Path to, Predicate<Path> include) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path relative = from.relativize(path);
                if (!relative.toString().isEmpty() && !include.test(relative)) {
                    continue;
                }
                Path target = to.resolve(relative.toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    try {
                        Files.copy(path, target, StandardCopyOption.COPY_ATTRIBUTES);
                    } catch (IOException e) {
                        throw new UncheckedIOException("cannot copy " + path, e);
                    }
                }
            }
        }
    }
}
