package com.rainforestqa.integrations.testkit.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness reports what {@code rainforest-integrations check} reports, for plugins compiled here. */
class HarnessChecksTest {
    /** An integration whose {@code deliver} runs the given statements, then answers delivered. */
    private static final String SOURCE = """
            package test.probe;

            import com.rainforestqa.integrations.api.*;

            public final class ProbeIntegration implements Integration {
                @Override
                public String key() {
                    return "probe";
                }

                @Override
                public Outcome deliver(Event event, Settings settings, IntegrationContext context) {
                    %s
                    return Outcome.delivered();
                }
            }
            """;
    private static final String SCHEMA = """
            key: probe
            title: Probe
            events: [run_completion]
            """;

    @TempDir
    Path classes;

    @Test
    void aHostClassUsedByThePluginIsAProblem() throws IOException {
        // Compiles against the test class path, where the host is; the plugin's class loader hides it.
        compile("com.rainforestqa.integrations.host.embed.EmbeddedHost.class.getName();");

        try (PluginHarness harness = PluginHarness.forClasses(classes)) {
            assertThat(harness.problems()).singleElement().asString().startsWith(
                    "com.rainforestqa.integrations.host.embed.EmbeddedHost cannot be loaded by the plugin, but "
                            + "test.probe.ProbeIntegration use(s) it: it is a class of the host");
            assertThat(harness.warnings()).singleElement().asString()
                    .startsWith("the plugin jar's manifest has no Rainforest-Integrations-Api-Version attribute");
        }
    }

    @Test
    void aBundledCopyOfTheJsonApiIsAWarning() throws IOException {
        compile("");
        Path json = Files.createDirectories(classes.resolve("jakarta/json"));
        try (InputStream in = jakarta.json.Json.class.getResourceAsStream("Json.class")) {
            Files.write(json.resolve("Json.class"), in.readAllBytes());
        }

        try (PluginHarness harness = PluginHarness.forClasses(classes)) {
            assertThat(harness.problems()).isEmpty();
            assertThat(harness.warnings()).anySatisfy(warning -> assertThat(warning).startsWith(
                    "plugin-under-test.jar bundles 1 class(es) of the JSON Processing API (jakarta.json), which the "
                            + "host provides"));
        }
    }

    private void compile(String deliverBody) throws IOException {
        Path file = Files.createDirectories(classes.resolve("src")).resolve("ProbeIntegration.java");
        Files.writeString(file, SOURCE.formatted(deliverBody));
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        int status = compiler.run(null, null, null, "-d", classes.toString(), "-proc:none",
                "-classpath", System.getProperty("java.class.path"), file.toString());
        assertThat(status).isZero();
        Files.delete(file);
        Files.delete(classes.resolve("src"));
        Path services = Files.createDirectories(classes.resolve("META-INF/services"));
        Files.writeString(services.resolve("com.rainforestqa.integrations.api.Integration"),
                "test.probe.ProbeIntegration\n", StandardCharsets.UTF_8);
        Path schemas = Files.createDirectories(classes.resolve("META-INF/integrations"));
        Files.writeString(schemas.resolve("probe.yaml"), SCHEMA, StandardCharsets.UTF_8);
    }
}
