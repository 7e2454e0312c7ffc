package com.rainforestqa.integrations.plugin.slack;

import static org.assertj.core.api.Assertions.assertThat;

import com.rainforestqa.integrations.api.Integration;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ServiceLoader;

import org.junit.jupiter.api.Test;

class SlackPluginTest {

    @Test
    void serviceLoaderFindsTheIntegration() {
        assertThat(ServiceLoader.load(Integration.class).stream().map(ServiceLoader.Provider::get))
                .singleElement()
                .isInstanceOf(SlackIntegration.class)
                .extracting(Integration::key)
                .isEqualTo("slack");
    }

    @Test
    void schemaDeclaresTheSecretUrlAndSlacksHost() throws IOException {
        String schema;
        try (InputStream in = SlackPluginTest.class.getResourceAsStream("/META-INF/integrations/slack.yaml")) {
            assertThat(in).as("schema resource").isNotNull();
            schema = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }

        assertThat(schema).isEqualTo("""
                key: slack
                title: Slack
                events: [run_completion, run_error, webhook_timeout, run_test_failure]
                settings:
                  - key: url
                    title: Slack webhook URL
                    required: true
                    secret: true
                outbound:
                  allowed-hosts: [hooks.slack.com]
                """);
    }
}
