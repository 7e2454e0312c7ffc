package com.rainforestqa.integrations.host.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.rainforestqa.integrations.api.ApiVersion;
import com.rainforestqa.integrations.host.IntegrationsHost;
import com.rainforestqa.integrations.host.config.HostConfig;
import com.rainforestqa.integrations.host.testing.PluginJar;
import com.rainforestqa.integrations.host.testing.TestPlugins;
import com.rainforestqa.integrations.host.testing.TestServer;
import com.rainforestqa.integrations.testkit.HostClient;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.AfterStop;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/**
 * {@code GET /plugins} on the operators' socket: a good plugin, one without a manifest, a broken one and one built for
 * a newer SPI. Without {@code integrations.admin.token} it needs no header.
 */
@ServerTest
class PluginsApiTest {
    private static IntegrationsHost host;

    private final HostClient api;
    private final HostClient admin;

    PluginsApiTest(WebServer server) {
        this.api = new HostClient(server.port(), "unused");
        this.admin = new HostClient(TestServer.adminPort(server), "unused");
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) throws IOException {
        Path plugins = Files.createTempDirectory("integrations-home").resolve("plugins");
        PluginJar.builder()
                .source("test.echo.EchoIntegration", TestPlugins.ECHO_SOURCE)
                .integrations("test.echo.EchoIntegration")
                .schema("echo", TestPlugins.ECHO_SCHEMA)
                .manifest("Implementation-Title", "Echo plugin")
                .manifest("Implementation-Version", "1.4.2")
                .manifest(ApiVersion.MANIFEST_ATTRIBUTE, ApiVersion.CURRENT)
                .writeTo(plugins.resolve("echo.jar"));
        TestPlugins.simple("Plain", "plain", "")
                .schema("plain", TestPlugins.schema("plain"))
                .writeTo(plugins.resolve("plain.jar"));
        TestPlugins.simple("Future", "future", "")
                .schema("future", TestPlugins.schema("future"))
                .manifest("Implementation-Version", "9.0.0")
                .manifest(ApiVersion.MANIFEST_ATTRIBUTE, (ApiVersion.major(ApiVersion.CURRENT) + 1) + ".0")
                .writeTo(plugins.resolve("future.jar"));
        Files.writeString(plugins.resolve("broken.jar"), "not a jar");
        host = IntegrationsHost.create(HostConfig.fromYaml("""
                integrations:
                  require-signature: false
                  plugins:
                    dir: %s
                    watch: false
                """.formatted(plugins)), plugins.getParent());
        TestServer.serve(server, host);
    }

    @AfterStop
    static void stop() {
        host.close();
    }

    @Test
    void inventoryListsEveryPluginFileWithItsStatus() {
        HostClient.Answer answer = admin.get("/plugins");

        assertThat(answer.status()).isEqualTo(200);
        JsonObject body = answer.json().asJsonObject();
        assertThat(body.getString("api_version")).isEqualTo(ApiVersion.CURRENT);
        JsonArray plugins = body.getJsonArray("plugins");
        assertThat(plugins).hasSize(4);

        JsonObject broken = plugins.getJsonObject(0);
        assertThat(broken.getString("file")).isEqualTo("broken.jar");
        assertThat(broken.getString("status")).isEqualTo("failed");
        assertThat(broken.getString("reason")).startsWith("broken.jar is not a readable jar: ");
        assertThat(broken.getJsonArray("integrations")).isEmpty();

        assertThat(plugins.getJsonObject(1)).isEqualTo(EventsApiTest.json("""
                {"file": "echo.jar", "name": "Echo plugin", "version": "1.4.2", "api_version": "%s",
                 "integrations": ["echo"], "status": "loaded"}""".formatted(ApiVersion.CURRENT)));
        String newer = (ApiVersion.major(ApiVersion.CURRENT) + 1) + ".0";
        assertThat(plugins.getJsonObject(2)).isEqualTo(EventsApiTest.json("""
                {"file": "future.jar", "name": "future", "version": "9.0.0", "api_version": "%s",
                 "integrations": [], "status": "failed",
                 "reason": "built for integrations API %s, newer than this host's %s; upgrade the host to use it"}"""
                .formatted(newer, newer, ApiVersion.CURRENT)));
        // A plugin without the manifest attributes is accepted; the inventory says what it does not know.
        assertThat(plugins.getJsonObject(3)).isEqualTo(EventsApiTest.json("""
                {"file": "plain.jar", "name": "plain", "version": "unknown", "api_version": "unknown",
                 "integrations": ["plain"], "status": "loaded"}"""));
    }

    @Test
    void inventoryIsNotOnThePublicPort() {
        HostClient.Answer answer = api.get("/plugins");

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.json()).isEqualTo(EventsApiTest.json("""
                {"error": "no such endpoint", "type": "not_found"}"""));
    }

    @Test
    void refusedPluginsOfferNoIntegration() {
        assertThat(api.get("/integrations/future").status()).isEqualTo(404);
        assertThat(api.get("/integrations").json().asJsonArray())
                .extracting(schema -> schema.asJsonObject().getString("key"))
                .containsExactly("echo", "plain");
    }
}
