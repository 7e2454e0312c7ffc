package com.rainforestqa.integrations.host;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The host's packages depend on each other one way: each can be read, and changed, without the ones above it. And
 * the host knows no particular plugin: what a plugin needs (its secrets, its hosts) comes from its schema, so a third
 * party's plugin gets what ours get.
 */
class ArchitectureTest {
    private static final JavaClasses HOST = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("com.rainforestqa.integrations.host");

    /** Names of the bundled plugins' products and vendors that their keys and hosts do not spell out. */
    private static final Set<String> BRANDS = Set.of("atlassian", "jira", "slack", "discord", "pagerduty", "github",
            "hipchat", "pivotal", "microsoft", "office.com", "azure", "powerplatform");

    /**
     * Bundled plugins' keys that are also the common word for what they deliver: the host reads setting names with
     * it ({@code webhook_url} looks like a secret), which is no knowledge of the plugin.
     */
    private static final Set<String> COMMON_WORDS = Set.of("webhook");

    @Test
    void hostPackagesHaveNoCycles() {
        slices().matching("com.rainforestqa.integrations.host.(*)..").should().beFreeOfCycles().check(HOST);
    }

    /**
     * The embed package is a door for code outside the host (the plugin test harness): the host itself never goes
     * through it, so it stays a thin facade that can follow the internals as they change.
     */
    @Test
    void nothingInTheHostDependsOnTheEmbedDoor() {
        noClasses().that().resideOutsideOfPackage("com.rainforestqa.integrations.host.embed..")
                .should().dependOnClassesThat().resideInAPackage("com.rainforestqa.integrations.host.embed..")
                .check(HOST);
    }

    /**
     * No string in the host's code (its classes' string constants; comments are not in them) names a bundled
     * plugin's key, one of the hosts its schema allows, or its product.
     */
    @Test
    void hostCodeNamesNoBundledPluginNorItsTargets() throws IOException, URISyntaxException {
        Set<String> names = new TreeSet<>(BRANDS);
        names.addAll(bundledPluginNames());
        names.removeAll(COMMON_WORDS);
        assertThat(names).as("the bundled plugins' keys and hosts are found").contains("slack", "pivotal_tracker",
                "hooks.slack.com", "events.pagerduty.com");

        Path classes = Path.of(IntegrationsHost.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".class")).sorted().toList()) {
                for (String constant : stringConstants(Files.readAllBytes(file))) {
                    String lower = constant.toLowerCase(Locale.ROOT);
                    names.stream().filter(lower::contains).forEach(name -> found.add(classes.relativize(file)
                            + " names " + name + ": \"" + around(constant, lower.indexOf(name)) + "\""));
                }
            }
        }
        assertThat(found).isEmpty();
    }

    private static String around(String text, int at) {
        return text.substring(Math.max(0, at - 30), Math.min(text.length(), at + 40)).replace("\n", "\\n");
    }

    /** The keys of the plugins built next to the host, also without underscores, and their allowed hosts. */
    private static Set<String> bundledPluginNames() throws IOException {
        Pattern key = Pattern.compile("(?m)^key:\\s*(\\S+)");
        Pattern hosts = Pattern.compile("(?m)^\\s+allowed-hosts:\\s*\\[([^]]*)]");
        Set<String> names = new TreeSet<>();
        try (Stream<Path> files = Files.walk(Path.of("..", "plugins"))) {
            for (Path schema : files.filter(path -> path.toString().replace('\\', '/')
                    .matches(".*/src/main/resources/META-INF/integrations/[^/]+\\.yaml")).toList()) {
                String text = Files.readString(schema);
                Matcher keyMatch = key.matcher(text);
                if (keyMatch.find()) {
                    names.add(keyMatch.group(1));
                    names.add(keyMatch.group(1).replace("_", ""));
                }
                Matcher hostMatch = hosts.matcher(text);
                if (hostMatch.find()) {
                    for (String host : hostMatch.group(1).split(",")) {
                        names.add(host.strip().replace("\"", "").replace("*.", ""));
                    }
                }
            }
        }
        return names;
    }

    /** The string literals of a class file: the constant pool's {@code CONSTANT_String} entries. */
    private static List<String> stringConstants(byte[] classFile) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
        in.readInt();
        in.readUnsignedShort();
        in.readUnsignedShort();
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        List<Integer> strings = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[i] = in.readUTF();
                case 8 -> strings.add(in.readUnsignedShort());
                case 7, 16, 19, 20 -> in.readUnsignedShort();
                case 3, 4, 9, 10, 11, 12, 17, 18 -> in.readInt();
                case 5, 6 -> {
                    in.readLong();
                    i++;
                }
                case 15 -> {
                    in.readUnsignedByte();
                    in.readUnsignedShort();
                }
                default -> throw new IllegalStateException("unknown constant pool tag " + tag);
            }
        }
        return strings.stream().map(index -> utf8[index]).toList();
    }
}
