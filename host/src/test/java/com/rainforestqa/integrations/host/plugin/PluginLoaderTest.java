package com.rainforestqa.integrations.host.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rainforestqa.integrations.api.ApiVersion;
import com.rainforestqa.integrations.api.Event;
import com.rainforestqa.integrations.api.IntegrationContext;
import com.rainforestqa.integrations.api.Outcome;
import com.rainforestqa.integrations.api.Settings;
import com.rainforestqa.integrations.host.testing.PluginJar;
import com.rainforestqa.integrations.host.testing.TestPlugins;

import jakarta.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PluginLoaderTest {
    @TempDir
    Path plugins;

    private final PluginLoader loader = new PluginLoader();

    @Test
    void goodPluginIsLoadedWithItsSchema() throws IOException {
        TestPlugins.echo(plugins.resolve("echo.jar"));

        try (PluginRegistry registry = loader.loadAll(plugins, true)) {
            LoadedIntegration echo = registry.find("echo").orElseThrow();
            assertThat(registry.failures()).isEmpty();
            assertThat(echo.schema().events()).containsExactly("run_completion", "run_test_failure");
            assertThat(echo.schema().settings()).containsExactly(
                    new IntegrationSchema.Setting("url", true, true),
                    new IntegrationSchema.Setting("token", false, true));
            // Unknown attributes reach GET /integrations as the plugin wrote them.
            assertThat(echo.schema().json().getJsonArray("settings").getJsonObject(1).getString("type"))
                    .isEqualTo("password");
            assertThat(echo.integration().getClass().getClassLoader()).isSameAs(echo.classLoader());
            // Request-level settings are the host's business, as outbound hosts are: not served.
            assertThat(echo.schema().requestSettings()).containsExactly("oauth_consumer");
            assertThat(echo.schema().json()).doesNotContainKey("request-settings");
        }
    }

    @Test
    void schemaWithoutRequestSettingsAsksForNone() throws IOException {
        TestPlugins.echoWithoutRequestSettings("plain", plugins.resolve("plain.jar"));

        try (PluginRegistry registry = loader.loadAll(plugins, true)) {
            assertThat(registry.find("plain").orElseThrow().schema().requestSettings()).isEmpty();
        }
    }

    @Test
    void schemaAskingForAnUnknownRequestSettingIsSkipped() throws IOException {
        TestPlugins.simple("Typo", "typo", "")
                .schema("typo", TestPlugins.schema("typo") + "request-settings: [oauth-consumer]\n")
                .writeTo(plugins.resolve("typo.jar"));
        TestPlugins.echo(plugins.resolve("echo.jar"));

        assertSkipped("typo.jar", "\"request-settings\" names \"oauth-consumer\", which is not a request-level "
                + "setting; known: oauth_consumer");
    }

    @Test
    void pluginSeesTheSpiButNotTheHostsLibraries() throws Exception {
        TestPlugins.echo(plugins.resolve("echo.jar"));

        try (PluginRegistry registry = loader.loadAll(plugins, true)) {
            ClassLoader plugin = registry.find("echo").orElseThrow().classLoader();
            assertThat(plugin.loadClass("com.rainforestqa.integrations.api.Integration"))
                    .isSameAs(com.rainforestqa.integrations.api.Integration.class);
            assertThat(plugin.loadClass("jakarta.json.JsonObject")).isSameAs(JsonObject.class);
            assertThatThrownBy(() -> plugin.loadClass("io.helidon.webserver.WebServer"))
                    .isInstanceOf(ClassNotFoundException.class);
            assertThatThrownBy(() -> plugin.loadClass("org.yaml.snakeyaml.Yaml"))
                    .isInstanceOf(ClassNotFoundException.class);
            assertThatThrownBy(() -> plugin.loadClass("com.rainforestqa.integrations.host.plugin.PluginLoader"))
                    .isInstanceOf(ClassNotFoundException.class);
            assertThat(plugin.getResource("integrations-defaults.yaml")).isNull();
        }
    }

    @Test
    void pluginBundlingItsOwnCopyOfAHostLibraryGetsItsOwnCopy() throws Exception {
        TestPlugins.simple("Bundler", "bundler", "")
                .source("org.yaml.snakeyaml.Yaml", """
                        package org.yaml.snakeyaml;
                        public final class Yaml {
                            public static String origin() {
                                return "the plugin's own snakeyaml";
                            }
                        }
                        """)
                .schema("bundler", TestPlugins.schema("bundler"))
                .writeTo(plugins.resolve("bundler.jar"));

        try (PluginRegistry registry = loader.loadAll(plugins, true)) {
            ClassLoader plugin = registry.find("bundler").orElseThrow().classLoader();
            Class<?> yaml = plugin.loadClass("org.yaml.snakeyaml.Yaml");
            assertThat(yaml.getClassLoader()).isSameAs(plugin);
            assertThat(yaml.getMethod("origin").invoke(null)).isEqualTo("the plugin's own snakeyaml");
            assertThat(org.yaml.snakeyaml.Yaml.class.getClassLoader()).isNotSameAs(plugin);
        }
    }

    @Test
    void sharedJsonApisWorkInsideAPlugin() throws Exception {
        PluginJar.builder()
                .source("test.shared.JsonUser", """
                        package test.shared;
                        import com.rainforestqa.integrations.api.*;
                        import jakarta.json.Json;
                        import jakarta.json.bind.JsonbBuilder;
                        public final class JsonUser implements Integration {
                            public String key() { return "json_user"; }
                            public Outcome deliver(Event event, Settings settings, IntegrationContext context) {
                                String built = Json.createObjectBuilder().add("built", true).build().toString();
                                try (var jsonb = JsonbBuilder.create()) {
                                    return Outcome.skipped(built + " " + jsonb.toJson(java.util.List.of(1, 2)));
                                } catch (Exception e) {
                                    throw new IllegalStateException(e);
                                }
                            }
                        }
                        """)
                .integrations("test.shared.JsonUser")
                .schema("json_user", TestPlugins.schema("json_user"))
                .writeTo(plugins.resolve("json-user.jar"));

        try (PluginRegistry registry = loader.loadAll(plugins, true)) {
            LoadedIntegration loaded = registry.find("json_user").orElseThrow();
            Outcome outcome = ContextClassLoader.run(loaded.classLoader(), () -> loaded.integration().deliver(
                    new Event(Event.INTEGRATION_TEST, Optional.empty(), JsonObject.EMPTY_JSON_OBJECT),
                    Settings.of(Map.of()), (IntegrationContext) null));
            assertThat(outcome.detail()).isEqualTo("{\"built\":true} [1,2]");
        }
    }

    @Test
    void directoryPluginLoadsItsPrivateDependencies() throws IOException {
        Path dir = plugins.resolve("with-deps");
        PluginJar.builder()
                .source("test.dep.Greeting", "package test.dep; public final class Greeting { "
                        + "public static String text() { return \"hello\"; } }")
                .writeTo(dir.resolve("greeting-lib.jar"));
        TestPlugins.simple("Greeter", "greeter", "if (!test.dep.Greeting.text().equals(\"hello\")) throw new "
                        + "IllegalStateException();")
                .source("test.dep.Greeting", "package test.dep; public final class Greeting { "
                        + "public static String text() { return \"hello\"; } }")
                .schema("greeter", TestPlugins.schema("greeter"))
                .writeTo(dir.resolve("greeter.jar"));

        try (PluginRegistry registry = loader.loadAll(plugins, true)) {
            assertThat(registry.find("greeter")).isPresent();
            assertThat(registry.failures()).isEmpty();
        }
    }

    @Test
    void jarThatIsNotAZipIsSkipped() throws IOException {
        Files.writeString(plugins.resolve("broken.jar"), "this is not a zip");
        TestPlugins.echo(plugins.resolve("echo.jar"));

        assertSkipped("broken.jar", "is not a readable jar");
    }

    @Test
    void jarWithoutSchemaIsSkipped() throws IOException {
        TestPlugins.simple("NoSchema", "no_schema", "").writeTo(plugins.resolve("no-schema.jar"));
        TestPlugins.echo(plugins.resolve("echo.jar"));

        assertSkipped("no-schema.jar", "has no schema META-INF/integrations/no_schema.yaml");
    }

    @Test
    void schemaWithAnotherKeyIsSkipped() throws IOException {
        TestPlugins.simple("Liar", "liar", "").schema("liar", TestPlugins.schema("truth"))
                .writeTo(plugins.resolve("liar.jar"));
        TestPlugins.echo(plugins.resolve("echo.jar"));

        assertSkipped("liar.jar", "declares key \"truth\" but the integration's key is \"liar\"");
    }

    @Test
    void malformedSchemaIsSkipped() throws IOException {
        TestPlugins.simple("Sloppy", "sloppy", "")
                .schema("sloppy", "key: sloppy\ntitle: Sloppy\nsettings:\n  - key: url\n    required: yes please\n")
                .writeTo(plugins.resolve("sloppy.jar"));
        TestPlugins.echo(plugins.resolve("echo.jar"));

        assertSkipped("sloppy.jar", "setting \"url\" needs a \"title\" string");
    }

    @Test
    void secondPluginWithTheSameKeyIsSkipped() throws IOException {
        TestPlugins.echo(plugins.resolve("a-echo.jar"));
        TestPlugins.echo(plugins.resolve("b-echo.jar"));

        try (PluginRegistry registry = loader.loadAll(plugins, false)) {
            assertThat(registry.find("echo").orElseThrow().source().getFileName()).hasToString("a-echo.jar");
            assertThat(registry.failures()).singleElement().satisfies(failure -> {
                assertThat(failure.source().getFileName()).hasToString("b-echo.jar");
                assertThat(failure.reason()).isEqualTo("integration key \"echo\" is already provided by a-echo.jar");
            });
        }
        assertThatThrownBy(() -> loader.loadAll(plugins, true)).isInstanceOf(PluginLoadException.class)
                .hasMessageContaining("b-echo.jar");
    }

    @Test
    void pluginWhoseConstructorThrowsIsSkipped() throws IOException {
        TestPlugins.simple("Exploding", "exploding", "throw new IllegalStateException(\"boom\");")
                .schema("exploding", TestPlugins.schema("exploding"))
                .writeTo(plugins.resolve("exploding.jar"));
        TestPlugins.echo(plugins.resolve("echo.jar"));

        assertSkipped("exploding.jar", "boom");
    }

    @Test
    void pluginBuiltForANewerMinorApiIsRefusedBeforeItsCodeRuns() throws IOException {
        String newerMinor = ApiVersion.major(ApiVersion.CURRENT) + "." + (ApiVersion.minor(ApiVersion.CURRENT) + 1);
        // Its constructor would throw: the refusal must come from the manifest, before any of its classes load.
        TestPlugins.simple("Newer", "newer", "throw new IllegalStateException(\"constructed\");")
                .schema("newer", TestPlugins.schema("newer"))
                .manifest(ApiVersion.MANIFEST_ATTRIBUTE, newerMinor)
                .writeTo(plugins.resolve("newer.jar"));
        TestPlugins.echo(plugins.resolve("echo.jar"));

        assertSkipped("newer.jar", "built for integrations API " + newerMinor + ", newer than this host's "
                + ApiVersion.CURRENT + " (each minor version adds to the API, and the plugin may use what "
                + newerMinor + " added); upgrade the host, or build the plugin against API " + ApiVersion.CURRENT);
    }

    @Test
    void pluginBuiltForTheHostsOrAnOlderMinorApiIsLoaded() throws IOException {
        TestPlugins.simple("Same", "same", "")
                .schema("same", TestPlugins.schema("same"))
                .manifest(ApiVersion.MANIFEST_ATTRIBUTE, ApiVersion.CURRENT)
                .writeTo(plugins.resolve("same.jar"));
        TestPlugins.simple("Older", "older", "")
                .schema("older", TestPlugins.schema("older"))
                .manifest(ApiVersion.MANIFEST_ATTRIBUTE, ApiVersion.major(ApiVersion.CURRENT) + ".0")
                .writeTo(plugins.resolve("older.jar"));

        try (PluginRegistry registry = loader.loadAll(plugins, true)) {
            assertThat(registry.integrations()).extracting(LoadedIntegration::key).containsExactly("older", "same");
        }
    }

    @Test
    void pluginWithAMalformedApiVersionIsRefused() throws IOException {
        TestPlugins.simple("Odd", "odd", "")
                .schema("odd", TestPlugins.schema("odd"))
                .manifest(ApiVersion.MANIFEST_ATTRIBUTE, "0.1-beta")
                .writeTo(plugins.resolve("odd.jar"));
        TestPlugins.echo(plugins.resolve("echo.jar"));

        assertSkipped("odd.jar", "its manifest attribute Rainforest-Integrations-Api-Version: \"0.1-beta\" is not a "
                + "version (major.minor)");
    }

    @Test
    void apiVersionRulesHoldPastMajorZero() {
        assertThat(PluginLoader.refusal("1.3", "1.3")).isEmpty();
        assertThat(PluginLoader.refusal("1.0", "1.3")).isEmpty();
        assertThat(PluginLoader.refusal("1.3.2", "1.3")).isEmpty();
        assertThat(PluginLoader.refusal("1", "1.3")).isEmpty();
        assertThat(PluginLoader.refusal("1.4", "1.3")).hasValueSatisfying(reason -> assertThat(reason)
                .startsWith("built for integrations API 1.4, newer than this host's 1.3 (each minor version"));
        assertThat(PluginLoader.refusal("2.0", "1.3"))
                .contains("built for integrations API 2.0, newer than this host's 1.3; upgrade the host to use it");
        assertThat(PluginLoader.refusal("0.9", "1.3")).contains("built for integrations API 0.9, an older major "
                + "version than this host's 1.3 (a major version may remove what the plugin uses); build the plugin "
                + "against API 1.3");
        assertThat(PluginLoader.refusal("0.2", "0.1")).isPresent();
        assertThat(PluginLoader.refusal("0.1", "0.2")).isEmpty();
    }

    @Test
    void jarWithoutServiceFileIsSkipped() throws IOException {
        PluginJar.builder().resource("README.txt", "nothing here").writeTo(plugins.resolve("empty.jar"));
        TestPlugins.echo(plugins.resolve("echo.jar"));

        assertSkipped("empty.jar", "no integration declared");
    }

    @Test
    void hiddenAndNonJarFilesAreIgnored() throws IOException {
        Files.writeString(plugins.resolve(".echo.jar.part"), "half copied");
        Files.writeString(plugins.resolve("README.md"), "notes");
        TestPlugins.echo(plugins.resolve("echo.jar"));

        try (PluginRegistry registry = loader.loadAll(plugins, true)) {
            assertThat(registry.integrations()).extracting(LoadedIntegration::key).containsExactly("echo");
            assertThat(registry.failures()).isEmpty();
        }
    }

    @Test
    void missingDirectoryMeansNoPluginsUnlessStrict() {
        Path missing = plugins.resolve("nope");

        try (PluginRegistry registry = loader.loadAll(missing, false)) {
            assertThat(registry.integrations()).isEmpty();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertThatThrownBy(() -> loader.loadAll(missing, true)).isInstanceOf(PluginLoadException.class)
                .hasMessageContaining("plugins directory does not exist");
    }

    private void assertSkipped(String file, String reason) throws IOException {
        try (PluginRegistry registry = loader.loadAll(plugins, false)) {
            assertThat(registry.integrations()).extracting(LoadedIntegration::key).containsExactly("echo");
            assertThat(registry.failures()).singleElement().satisfies(failure -> {
                assertThat(failure.source().getFileName()).hasToString(file);
                assertThat(failure.reason()).contains(reason);
            });
        }
        assertThatThrownBy(() -> loader.loadAll(plugins, true))
                .isInstanceOf(PluginLoadException.class)
                .hasMessageContaining(file)
                .hasMessageContaining(reason);
    }
}
