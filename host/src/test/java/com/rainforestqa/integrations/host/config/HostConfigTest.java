package com.rainforestqa.integrations.host.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rainforestqa.integrations.host.retry.RetryPolicy;
import com.rainforestqa.integrations.host.retry.RetrySchedule;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.webserver.ListenerConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostConfigTest {
    @TempDir
    Path home;

    @Test
    void defaultsApplyWithoutAnyFile() {
        Config config = HostConfig.load(Map.of("INTEGRATIONS_SIGNING_KEY", "k"), Optional.of(home));
        HostSettings settings = HostSettings.from(config, home);

        assertThat(config.get("server.port").asInt().get()).isEqualTo(8080);
        assertThat(settings.signingKey()).contains("k");
        assertThat(settings.requireSignature()).isTrue();
        assertThat(settings.pluginsDir()).isEqualTo(home.resolve("plugins"));
        assertThat(settings.maxBodySize()).isEqualTo(1024 * 1024);
        assertThat(settings.deadline()).isEqualTo(Duration.ofSeconds(20));
        assertThat(settings.corsOrigins()).isEmpty();
        assertThat(settings.strictPlugins()).isFalse();
        assertThat(settings.requireTimestamp()).isFalse();
        assertThat(settings.signatureTolerance()).isEqualTo(Duration.ofMinutes(5));
        assertThat(settings.maxIntegrationsPerEvent()).isEqualTo(50);
        assertThat(settings.retries()).isEqualTo(new RetryPolicy(4, Duration.ofMillis(200), Duration.ofSeconds(5)));
        assertThat(settings.inlineDeadline()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.retrySchedule()).isEqualTo(new RetrySchedule(List.of(Duration.ofSeconds(5),
                Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5),
                Duration.ofHours(10), Duration.ofHours(10)), 0.2, Duration.ofHours(1)));
        assertThat(settings.queueThreads()).isEqualTo(32);
        assertThat(settings.idempotencyRetention()).isEqualTo(Duration.ofHours(24));
        assertThat(settings.idempotencyMaxEntries()).isEqualTo(100_000);
        assertThat(settings.allowPrivateAddresses()).isFalse();
        assertThat(settings.httpsOnly()).isFalse();
        assertThat(settings.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.readTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.maxResponseBody()).isEqualTo(64 * 1024);
        assertThat(settings.maxErrorBody()).isEqualTo(2048);
    }

    @Test
    void limitsThatWouldRefuseEveryEventStopTheStart() {
        for (String yaml : List.of("integrations: {signing-key: k, max-integrations-per-event: 0}",
                "integrations: {signing-key: k, signature: {tolerance: PT0S}}",
                "integrations: {signing-key: k, delivery: {retry-schedule: []}}")) {
            assertThatThrownBy(() -> HostSettings.from(HostConfig.fromYaml(yaml), home)).as(yaml)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("must be");
        }
    }

    @Test
    void aSettingTheDefaultsFileLacksStopsTheStartByName() {
        Config withoutDefaults = Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .sources(List.of(ConfigSources.create(Map.of("integrations.signing-key", "k"))))
                .build();

        assertThatThrownBy(() -> HostSettings.from(withoutDefaults, home))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("integrations.require-signature is not set: the defaults file integrations-defaults.yaml"
                        + " should set it");
    }

    @Test
    void laterLayersWin() throws IOException {
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf/application.yaml"), """
                server:
                  port: 9001
                integrations:
                  signing-key: from-conf
                  max-body-size: 100
                  delivery:
                    deadline: PT5S
                """);
        Path extra = Files.writeString(home.resolve("extra.yaml"), """
                server:
                  port: 9002
                integrations:
                  max-body-size: 200
                """);

        Config config = HostConfig.load(Map.of(
                HostConfig.CONFIG_FILE_ENV, extra.toString(),
                "SERVER_PORT", "9003"), Optional.of(home));
        HostSettings settings = HostSettings.from(config, home);

        assertThat(config.get("server.port").asInt().get()).isEqualTo(9003);
        assertThat(settings.maxBodySize()).isEqualTo(200);
        assertThat(settings.deadline()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.signingKey()).contains("from-conf");
    }

    @Test
    void environmentNamesUseHelidonsMappingAndRainforestsOwnNames() {
        Config config = HostConfig.load(Map.of(
                "INTEGRATIONS_SIGNING_KEY", "legacy-key",
                "ALLOWED_ORIGINS", "https://app.rainforestqa.com, https://staging.rainforestqa.com",
                "INTEGRATIONS_MAX_dash_BODY_dash_SIZE", "300",
                "INTEGRATIONS_PLUGINS_STRICT", "true",
                "INTEGRATION_SENTRY_DSN", "https://key@sentry.example/1"), Optional.of(home));
        HostSettings settings = HostSettings.from(config, home);

        assertThat(settings.signingKey()).contains("legacy-key");
        assertThat(settings.corsOrigins()).containsExactly("https://app.rainforestqa.com",
                "https://staging.rainforestqa.com");
        assertThat(settings.maxBodySize()).isEqualTo(300);
        assertThat(settings.strictPlugins()).isTrue();
        assertThat(config.get("sentry.dsn").asString().get()).isEqualTo("https://key@sentry.example/1");
    }

    @Test
    void environmentNamesThatMakeNoKeyAreIgnored() {
        Config config = HostConfig.load(Map.of("_", "/usr/bin/bash", "A__B", "x", "TRAILING_", "y",
                "INTEGRATIONS_SIGNING_KEY", "k"), Optional.of(home));

        assertThat(HostSettings.from(config, home).signingKey()).contains("k");
    }

    @Test
    void yamlListsWorkForOrigins() {
        Config config = HostConfig.fromYaml("""
                integrations:
                  signing-key: k
                  cors:
                    allowed-origins: [https://a.example, https://b.example]
                  plugins:
                    dir: /opt/plugins
                """);

        HostSettings settings = HostSettings.from(config, home);

        assertThat(settings.corsOrigins()).isEqualTo(List.of("https://a.example", "https://b.example"));
        assertThat(settings.pluginsDir()).isEqualTo(Path.of("/opt/plugins"));
    }

    @Test
    void theOperatorsSocketListensOnLoopbackPort8081ByDefault() {
        ListenerConfig admin = HostConfig.adminSocket(HostConfig.load(Map.of(), Optional.of(home)).get("server"));

        assertThat(admin.name()).isEqualTo(HostConfig.ADMIN_SOCKET);
        assertThat(admin.host()).isEqualTo("127.0.0.1");
        assertThat(admin.port()).isEqualTo(8081);
    }

    @Test
    void theOperatorsSocketTakesItsPortAndAddressFromEitherFormOfServerSockets() {
        ListenerConfig listed = HostConfig.adminSocket(HostConfig.fromYaml("""
                server:
                  sockets:
                    - name: other
                      port: 9100
                    - name: admin
                      port: 9101
                """).get("server"));
        ListenerConfig member = HostConfig.adminSocket(HostConfig.fromYaml("""
                server:
                  sockets:
                    admin:
                      host: 0.0.0.0
                      port: 0
                """).get("server"));

        // Helidon's own default address would be 0.0.0.0; an admin socket without one stays on loopback.
        assertThat(listed.host()).isEqualTo("127.0.0.1");
        assertThat(listed.port()).isEqualTo(9101);
        assertThat(listed.name()).isEqualTo(HostConfig.ADMIN_SOCKET);
        assertThat(member.host()).isEqualTo("0.0.0.0");
        assertThat(member.port()).isEqualTo(0);
    }

    @Test
    void theEnvironmentSetsTheOperatorsSocketOverTheInstallationsFile() throws IOException {
        Files.createDirectories(home.resolve("conf"));
        Files.writeString(home.resolve("conf/application.yaml"), """
                server:
                  sockets:
                    admin:
                      port: 9200
                      host: 127.0.0.2
                """);

        ListenerConfig admin = HostConfig.adminSocket(HostConfig.load(Map.of("SERVER_SOCKETS_ADMIN_PORT", "9201"),
                Optional.of(home)).get("server"));

        assertThat(admin.port()).isEqualTo(9201);
        assertThat(admin.host()).isEqualTo("127.0.0.2");
    }

    @Test
    void withoutASigningKeyTheHostRefusesToStart() {
        Config config = HostConfig.load(Map.of(), Optional.of(home));

        assertThatThrownBy(() -> HostSettings.from(config, home))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("no signing key: set INTEGRATIONS_SIGNING_KEY");
    }

    @Test
    void unsignedEventsCanBeAllowedExplicitly() {
        Config config = HostConfig.load(Map.of("INTEGRATIONS_REQUIRE_dash_SIGNATURE", "false"), Optional.of(home));

        assertThat(HostSettings.from(config, home).requireSignature()).isFalse();
    }

    @Test
    void missingConfigFileIsAClearError() {
        assertThatThrownBy(() -> HostConfig.load(Map.of(HostConfig.CONFIG_FILE_ENV, home.resolve("nope.yaml")
                .toString()), Optional.of(home)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("nope.yaml, which is not a readable file");
    }

    @Test
    void settingsNeverPrintTheSigningKey() {
        Config config = HostConfig.load(Map.of("INTEGRATIONS_SIGNING_KEY", "super-secret-key"), Optional.of(home));

        assertThat(HostSettings.from(config, home).toString()).doesNotContain("super-secret-key");
    }
}
