package com.rainforestqa.integrations.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/** The installation directory and the archive hold what an operator is promised, with the right file modes. */
class InstallationLayoutIT {

    @Test
    void startScriptIsExecutable() throws IOException {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(Installation.script())))
                .isEqualTo("rwxr-xr-x");
    }

    @Test
    void libHoldsTheHostAndItsDependenciesButNoPlugin() throws IOException {
        List<String> lib = fileNames(Installation.directory().resolve("lib"));

        assertThat(lib).contains(
                "integrations-host-" + Installation.version() + ".jar",
                "integrations-api-" + Installation.version() + ".jar");
        assertThat(lib).anyMatch(name -> name.startsWith("helidon-webserver-"));
        assertThat(lib).noneMatch(name -> name.startsWith("integrations-plugin-"));
        assertThat(lib).noneMatch(name -> name.startsWith("integrations-testkit-"));
        assertThat(lib).noneMatch(name -> name.startsWith("junit-") || name.startsWith("assertj-"));
    }

    /** The plugin modules the installation ships, by artifact name. */
    private static final List<String> BUNDLED_PLUGINS = List.of("slack", "jira", "pivotal-tracker", "hipchat",
            "microsoft-teams", "pagerduty", "github-issues", "webhook", "discord");

    @Test
    void pluginsHoldsEveryBundledPlugin() throws IOException {
        assertThat(fileNames(Installation.directory().resolve("plugins")))
                .containsExactlyInAnyOrderElementsOf(BUNDLED_PLUGINS.stream()
                        .map(name -> "integrations-plugin-" + name + "-" + Installation.version() + ".jar")
                        .toList());
    }

    @Test
    void configurationShowsEveryOperatorKeyCommentedOut() throws IOException {
        List<String> lines = Files.readAllLines(Installation.directory().resolve("conf").resolve("application.yaml"));

        assertThat(lines).allMatch(line -> line.isBlank() || line.startsWith("#"));
        assertThat(String.join("\n", lines)).contains(
                "#server:", "#  port: 8080", "#  host: 0.0.0.0",
                "#  sockets:", "#    admin:", "#      port: 8081", "#      host: 127.0.0.1",
                "#integrations:", "#  signing-key:", "#  require-signature: true",
                "#  plugins:", "#    dir: plugins", "#    strict: false", "#    watch: true",
                "#  outbound:", "#    allow-private-addresses: false",
                "#  cors:", "#    allowed-origins:",
                "#  max-body-size: 1048576",
                "#  admin:", "#    token:",
                "#  delivery:", "#    deadline: PT20S",
                "#plugins:", "#    allowed-hosts:", "#    api-url:",
                "#sentry:", "#  dsn:");
    }

    @Test
    void archiveHoldsTheInstallationWithItsFileModes() throws IOException {
        String base = "rainforest-integrations-" + Installation.version() + "/";

        Map<String, Integer> archived = TarArchive.fileModes(Installation.archive());

        Map<String, Integer> expected = new TreeMap<>();
        try (Stream<Path> files = Files.walk(Installation.directory())) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String path = Installation.directory().relativize(file).toString();
                // data/ is the store a running installation makes at its first start, not part of what ships.
                if (!path.startsWith("data/")) {
                    expected.put(base + path, path.startsWith("bin/") ? 0755 : 0644);
                }
            }
        }
        assertThat(archived).isEqualTo(expected);
        assertThat(archived).containsEntry(base + "bin/rainforest-integrations", 0755);
    }

    private static List<String> fileNames(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }
}
