package com.rainforestqa.integrations.host.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class ServerSettingsTest {
    @Test
    void connectionLimitLeavesRoomOnTheHeap() {
        long heap = 160L * 1024 * 1024;
        int limit = ServerSettings.connectionsFor(heap);

        assertThat(limit).isEqualTo(4096);
        assertThat(limit * ServerSettings.CONNECTION_HEAP + ServerSettings.RESERVED_HEAP).isLessThanOrEqualTo(heap);
        assertThat(ServerSettings.connectionsFor(32L * 1024 * 1024)).isEqualTo(256);
    }

    @Test
    void configuredLimitAndTimeoutsWin() {
        ServerSettings settings = ServerSettings.from(HostConfig.fromYaml("""
                server:
                  max-tcp-connections: 300
                integrations:
                  http:
                    header-timeout: PT5S
                  shutdown:
                    grace: PT3S
                """), Duration.ofSeconds(20));

        assertThat(settings.maxConnections()).isEqualTo(300);
        assertThat(settings.headerTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.bodyTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(settings.shutdownGrace()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void graceDefaultsToTheDeliveryDeadlineAndAMargin() {
        ServerSettings settings = ServerSettings.from(HostConfig.fromYaml("integrations: {}"), Duration.ofSeconds(20));

        assertThat(settings.shutdownGrace()).isEqualTo(Duration.ofSeconds(25));
        assertThat(settings.idleTimeout()).isEqualTo(Duration.ofSeconds(60));
    }
}
