package com.rainforestqa.integrations.host.testing;

import java.nio.file.Path;

/**
 * Plugins the host's tests load. The {@code echo} integration posts what it received to its {@code url} setting and
 * maps the answer as a real plugin would, so tests can drive every outcome from a fake target.
 */
public final class TestPlugins {
    /**
     * Schema of the echo integration: two run events, the request's {@code oauth_consumer}, a required secret URL and
     * an optional secret token.
     */
    public static final String ECHO_SCHEMA = """
            key: echo
            title: Echo
            events: [run_completion, run_test_failure]
            request-settings: [oauth_consumer]
            settings:
              - key: url
                title: Where to post
                required: true
                secret: true
              - key: token
                title: A token sent as a header
                secret: true
                type: password
            """;

    /**
     * Posts the event type, event id, run id and the key of the {@code oauth_consumer} it was given as JSON, built
     * with the shared Jakarta JSON provider.
     */
    public static final String ECHO_SOURCE = """
            package test.echo;

            import com.rainforestqa.integrations.api.*;
            import jakarta.json.Json;
            import java.net.URI;

            public final class EchoIntegration implements Integration {
                @Override
                public String key() {
                    return "echo";
                }

                @Override
                public Outcome deliver(Event event, Settings settings, IntegrationContext context) {
                    String body = Json.createObjectBuilder()
                            .add("event_type", event.type())
                            .add("event_id", event.eventId().orElse(""))
                            .add("run_id", event.run().flatMap(Event.Run::id).orElse(""))
                            .add("jsonb", context.jsonb().toJson(java.util.Map.of("a", 1)))
                            .add("config", context.config().getOrDefault("greeting", ""))
                            .add("oauth_key", settings.json("oauth_consumer")
                                    .map(consumer -> consumer.asJsonObject().getString("key", "")).orElse(""))
                            .build().toString();
                    OutboundRequest request = OutboundRequest.post(URI.create(settings.required("url")), body);
                    if (settings.optional("token").isPresent()) {
                        request = request.withHeader("Authorization", "Bearer " + settings.required("token"));
                    }
                    OutboundResponse response = context.http().send(request);
                    if (response.isSuccess()) {
                        return Outcome.delivered();
                    }
                    ErrorType type = switch (response.status()) {
                        case 401, 403, 404 -> ErrorType.USER_CONFIGURATION_ERROR;
                        case 429, 500, 502, 503, 504 -> ErrorType.TRANSIENT;
                        default -> ErrorType.MISCONFIGURED_INTEGRATION;
                    };
                    throw new IntegrationException(type, "the echo target answered " + response.status(), response);
                }
            }
            """;

    /** Schema of the live integration: one required URL. */
    public static final String LIVE_SCHEMA = """
            key: live
            title: Live
            events: [run_completion]
            settings:
              - key: url
                title: Where to post
                required: true
            """;

    private TestPlugins() {
    }

    /**
     * A plugin providing the {@code live} integration, which posts {@code {"version": "<version>"}} to its
     * {@code url} setting, so a test can tell which version of the plugin delivered an event. Its jar also holds a
     * class {@code test.live.Extra} that nothing loads, to tell an open class loader from a closed one.
     *
     * @param version the version, in the body it posts and as the jar's {@code Implementation-Version}
     * @return the jar builder
     */
    public static PluginJar live(String version) {
        String source = """
                package test.live;

                import com.rainforestqa.integrations.api.*;
                import java.net.URI;

                public final class LiveIntegration implements Integration {
                    @Override
                    public String key() {
                        return "live";
                    }

                    @Override
                    public Outcome deliver(Event event, Settings settings, IntegrationContext context) {
                        OutboundResponse response = context.http().send(OutboundRequest.post(
                                URI.create(settings.required("url")), "{\\"version\\": \\"%s\\"}"));
                        if (response.isSuccess()) {
                            return Outcome.delivered();
                        }
                        throw new IntegrationException(ErrorType.TRANSIENT, "answered " + response.status(), response);
                    }
                }
                """.formatted(version);
        return PluginJar.builder()
                .source("test.live.LiveIntegration", source)
                .source("test.live.Extra", "package test.live;\npublic final class Extra {\n}\n")
                .integrations("test.live.LiveIntegration")
                .schema("live", LIVE_SCHEMA)
                .manifest("Implementation-Version", version);
    }

    /**
     * Writes the echo plugin.
     *
     * @param file the jar to write
     * @return the jar
     */
    public static Path echo(Path file) {
        return PluginJar.builder()
                .source("test.echo.EchoIntegration", ECHO_SOURCE)
                .integrations("test.echo.EchoIntegration")
                .schema("echo", ECHO_SCHEMA)
                .writeTo(file);
    }

    /**
     * Writes a copy of the echo plugin under another key whose schema asks for no request-level settings, as a
     * third-party plugin's would not.
     *
     * @param key the key, also the last part of its package, so a lower-case Java identifier
     * @param file the jar to write
     * @return the jar
     */
    public static Path echoWithoutRequestSettings(String key, Path file) {
        return PluginJar.builder()
                .source("test." + key + ".EchoIntegration", ECHO_SOURCE.replace("package test.echo;",
                        "package test." + key + ";").replace("return \"echo\";", "return \"" + key + "\";"))
                .integrations("test." + key + ".EchoIntegration")
                .schema(key, ECHO_SCHEMA.replace("key: echo\n", "key: " + key + "\n")
                        .replace("request-settings: [oauth_consumer]\n", ""))
                .writeTo(file);
    }

    /**
     * A minimal integration with the given key whose constructor runs the given statement.
     *
     * @param className the class to generate, in package {@code test.simple}
     * @param key the key it reports
     * @param constructorBody Java statements run by its constructor
     * @return the jar builder, without schema
     */
    public static PluginJar simple(String className, String key, String constructorBody) {
        String source = """
                package test.simple;

                import com.rainforestqa.integrations.api.*;

                public final class %1$s implements Integration {
                    public %1$s() {
                        %3$s
                    }

                    @Override
                    public String key() {
                        return "%2$s";
                    }

                    @Override
                    public Outcome deliver(Event event, Settings settings, IntegrationContext context) {
                        return Outcome.delivered();
                    }
                }
                """.formatted(className, key, constructorBody);
        return PluginJar.builder()
                .source("test.simple." + className, source)
                .integrations("test.simple." + className);
    }

    /**
     * A plugin whose {@code boom} integration runs the given statements in {@code deliver}, before answering
     * delivered; its schema has one required secret setting, {@code url}.
     *
     * @param deliverBody Java statements, which may read {@code settings}
     * @return the jar builder
     */
    public static PluginJar throwing(String deliverBody) {
        String source = """
                package test.boom;

                import com.rainforestqa.integrations.api.*;

                public final class BoomIntegration implements Integration {
                    @Override
                    public String key() {
                        return "boom";
                    }

                    @Override
                    public Outcome deliver(Event event, Settings settings, IntegrationContext context) {
                        %s
                        return Outcome.delivered();
                    }
                }
                """.formatted(deliverBody);
        return PluginJar.builder()
                .source("test.boom.BoomIntegration", source)
                .integrations("test.boom.BoomIntegration")
                .schema("boom", """
                        key: boom
                        title: Boom
                        events: [run_completion]
                        settings:
                          - key: url
                            title: Where to post
                            required: true
                            secret: true
                        """);
    }

    /**
     * A schema for a simple integration.
     *
     * @param key the key it declares
     * @return the YAML
     */
    public static String schema(String key) {
        return "key: " + key + "\ntitle: " + key + "\nevents: [run_completion]\nsettings: []\n";
    }
}
