package com.rainforestqa.integrations.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import com.rainforestqa.integrations.api.ApiVersion;
import com.rainforestqa.integrations.testkit.FakeTarget;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin archetype as a new plugin author meets it: a project generated from the archetype in the private
 * repository the build installs the SDK into, built as generated (its own tests included), and its plugin directory
 * dropped into a copy of the installation, which checks it, lists it and delivers through it.
 */
class PluginArchetypeIT {
    private static final String VERSION = "1.0.0";

    @TempDir
    static Path temp;

    private static Path project;
    private static Path home;
    private static FakeTarget webhook;

    @BeforeAll
    static void generateBuildAndInstall() throws IOException, InterruptedException {
        ThirdPartyBuild maven = ThirdPartyBuild.in(temp);
        maven.mvn(temp, "PluginArchetypeIT-generate.log",
                "org.apache.maven.plugins:maven-archetype-plugin:" + System.getProperty("archetype.plugin.version")
                        + ":generate",
                // The archetype is found by its coordinates; no catalog is fetched from the network.
                "-DarchetypeCatalog=internal",
                "-DarchetypeGroupId=com.rainforestqa.integrations",
                "-DarchetypeArtifactId=integrations-plugin-archetype",
                "-DarchetypeVersion=" + Installation.version(),
                "-DgroupId=com.acme.integrations", "-DartifactId=acme-chat", "-Dversion=" + VERSION,
                "-Dpackage=com.acme.integrations.chat", "-DintegrationKey=acme_chat",
                "-DintegrationTitle=Acme Chat", "-DclassName=AcmeChatIntegration");
        project = temp.resolve("acme-chat");
        maven.mvn(project, "PluginArchetypeIT-build.log", "verify");

        home = temp.resolve("installation");
        ThirdPartyBuild.copyTree(Installation.directory(), home, path -> true);
        ThirdPartyBuild.copyTree(project.resolve("target").resolve("acme-chat"),
                home.resolve("plugins").resolve("acme-chat"), path -> true);
        webhook = FakeTarget.start();
    }

    @AfterAll
    static void stop() {
        if (webhook != null) {
            webhook.close();
        }
    }

    @Test
    void theGeneratedProjectIsWhatTheGuideDescribes() throws IOException {
        String pom = Files.readString(project.resolve("pom.xml"), StandardCharsets.UTF_8);
        assertThat(pom).contains("<artifactId>integrations-plugin-parent</artifactId>",
                "<version>" + Installation.version() + "</version>");
        assertThat(Files.readString(project.resolve(Path.of("src", "main", "resources", "META-INF", "services",
                "com.rainforestqa.integrations.api.Integration")))).isEqualTo(
                "com.acme.integrations.chat.AcmeChatIntegration\n");
        assertThat(project.resolve(Path.of("src", "main", "resources", "META-INF", "integrations",
                "acme_chat.yaml"))).content().startsWith("key: acme_chat\ntitle: Acme Chat\n");
    }

    @Test
    void theGeneratedTestsRanAndPassed() throws IOException {
        Path report = project.resolve(Path.of("target", "surefire-reports",
                "TEST-com.acme.integrations.chat.AcmeChatIntegrationPluginTest.xml"));
        String testsuite = Files.readString(report, StandardCharsets.UTF_8);

        assertThat(testsuite).containsPattern("<testsuite [^>]*tests=\"9\"")
                .containsPattern("<testsuite [^>]*failures=\"0\"")
                .containsPattern("<testsuite [^>]*errors=\"0\"")
                .containsPattern("<testsuite [^>]*skipped=\"0\"");
    }

    @Test
    void theBuildLeavesAPluginDirectoryWithTheManifestTheHostReads() throws IOException {
        Path directory = project.resolve("target").resolve("acme-chat");
        try (Stream<Path> built = Files.list(directory)) {
            assertThat(built.map(path -> path.getFileName().toString())).containsExactly("acme-chat-1.0.0.jar");
        }
        try (JarFile jar = new JarFile(directory.resolve("acme-chat-1.0.0.jar").toFile())) {
            Attributes manifest = jar.getManifest().getMainAttributes();
            assertThat(manifest.getValue(ApiVersion.MANIFEST_ATTRIBUTE)).isEqualTo(ApiVersion.CURRENT);
            assertThat(manifest.getValue("Implementation-Version")).isEqualTo(VERSION);
            assertThat(manifest.getValue("Implementation-Title")).isEqualTo("Acme Chat integration for Rainforest "
                    + "Integrations");
        }
        try (ZipFile archive = new ZipFile(project.resolve("target").resolve("acme-chat-1.0.0-plugin.zip")
                .toFile())) {
            assertThat(Collections.list(archive.entries())).extracting(ZipEntry::getName)
                    .contains("acme-chat/acme-chat-1.0.0.jar")
                    .allMatch(name -> name.startsWith("acme-chat/"));
        }
    }

    @Test
    void checkLoadsTheGeneratedPluginAsTheServerWould() throws IOException, InterruptedException {
        InstallationCommand check = InstallationCommand.run(home, temp, Map.of(), "check",
                home.resolve("plugins").resolve("acme-chat").toString());

        assertThat(check.status()).as(check.both()).isZero();
        assertThat(check.output()).contains(
                "  integration acme_chat (Acme Chat), class com.acme.integrations.chat.AcmeChatIntegration",
                "    settings: url (required, secret)",
                "OK: 1 integration(s), no problems");
    }

    @Test
    void theInstallationListsTheGeneratedPlugin() throws IOException, InterruptedException {
        InstallationCommand plugins = InstallationCommand.run(home, temp, Map.of(), "plugins");

        assertThat(plugins.status()).as(plugins.both()).isZero();
        assertThat(plugins.output()).contains("  loaded  acme-chat: acme_chat", " 0 skipped");
    }

    @Test
    void theInstallationDeliversThroughTheGeneratedPlugin() throws IOException, InterruptedException {
        webhook.reset();
        Path config = Files.writeString(temp.resolve("archetype.yaml"), """
                integrations:
                  outbound:
                    allow-private-addresses: true
                """);

        InstallationCommand send = InstallationCommand.run(home, temp,
                Map.of("INTEGRATIONS_CONFIG_FILE", config.toString()), "send", "--integration", "acme_chat",
                "--setting", "url=" + webhook.uri("/hooks/acme"), "--event", "integration_test");

        assertThat(send.status()).as(send.both()).isZero();
        assertThat(send.output()).startsWith("acme_chat: delivered\n");
        assertThat(webhook.onlyRequest().path()).isEqualTo("/hooks/acme");
        assertThat(webhook.onlyRequest().json()).hasToString("{\"text\":\"Rainforest is connected to Acme Chat.\"}");
    }
}
