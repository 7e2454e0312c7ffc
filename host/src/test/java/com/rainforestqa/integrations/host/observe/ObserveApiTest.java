package com.rainforestqa.integrations.host.observe;

import static org.assertj.core.api.Assertions.assertThat;

import com.rainforestqa.integrations.host.IntegrationsHost;
import com.rainforestqa.integrations.host.config.HostConfig;
import com.rainforestqa.integrations.host.testing.LogCapture;
import com.rainforestqa.integrations.host.testing.PluginJar;
import com.rainforestqa.integrations.host.testing.TestPlugins;
import com.rainforestqa.integrations.host.testing.TestServer;
import com.rainforestqa.integrations.testkit.FakeTarget;
import com.rainforestqa.integrations.testkit.HostClient;
import com.rainforestqa.integrations.testkit.Reply;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.AfterStop;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /observe/health} and {@code /observe/metrics} on the operators' socket, and error reports to a local fake
 * Sentry, over real HTTP, with the echo plugin, a plugin that throws and a plugin that cannot be loaded.
 */
@ServerTest
class ObserveApiTest {
    private static final String KEY = "observe-signing-key-5d1e";
    private static final String SECRET_PATH = "/hook/obs-secret-path-81c2";
    private static final String SECRET_TOKEN = "tok-obs-secret-9a7f";

    /** Throws a plain exception whose message quotes its settings, as a careless plugin would. */
    private static final String BOOM_SOURCE = """
            package test.boom;

            import com.rainforestqa.integrations.api.*;

            public final class BoomIntegration implements Integration {
                @Override
                public String key() {
                    return "boom";
                }

                @Override
                public Outcome deliver(Event event, Settings settings, IntegrationContext context) {
                    throw new IllegalStateException("cannot post to " + settings.required("url") + " with token "
                            + settings.optional("token").orElse("") + " (Authorization: Bearer "
                            + settings.optional("token").orElse("") + ")");
                }
            }
            """;

    /**
     * A third party's plugin: its schema declares two secret settings, and the message it throws quotes them the way
     * careless code does, a URL's path alone, the URL encoded, the key after a header name of its own.
     */
    private static final String ACME_SOURCE = """
            package test.acme;

            import com.rainforestqa.integrations.api.*;
            import java.net.URI;
            import java.net.URLEncoder;
            import java.nio.charset.StandardCharsets;

            public final class AcmeIntegration implements Integration {
                @Override
                public String key() {
                    return "acme_chat";
                }

                @Override
                public Outcome deliver(Event event, Settings settings, IntegrationContext context) {
                    String hook = settings.required("hook_url");
                    throw new IllegalStateException("no hook at " + URI.create(hook).getRawPath() + " for "
                            + URLEncoder.encode(hook, StandardCharsets.UTF_8) + " with X-Acme-Key "
                            + settings.required("api_key"));
                }
            }
            """;
    private static final String ACME_HOOK = "https://chat.acme.example/hooks/room-7/tok-acme-5e1b?sig=acme-sig-77";
    private static final String ACME_KEY = "acme-key-19f3c0";

    private static FakeTarget target;
    private static FakeSentry sentry;
    private static IntegrationsHost host;

    private final HostClient api;
    private final HostClient unsigned;
    private final HostClient admin;

    ObserveApiTest(WebServer server) {
        this.api = new HostClient(server.port(), KEY);
        this.unsigned = new HostClient(server.port(), "wrong-key");
        this.admin = new HostClient(TestServer.adminPort(server), KEY);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) throws IOException {
        target = FakeTarget.start();
        sentry = FakeSentry.start();
        Path home = Files.createTempDirectory("integrations-home");
        Path plugins = home.resolve("plugins");
        TestPlugins.echo(plugins.resolve("echo.jar"));
        PluginJar.builder()
                .source("test.boom.BoomIntegration", BOOM_SOURCE)
                .integrations("test.boom.BoomIntegration")
                .schema("boom", """
                        key: boom
                        title: Boom
                        events: [run_completion]
                        settings:
                          - key: url
                            title: URL
                            required: true
                            secret: true
                          - key: token
                            title: Token
                            secret: true
                        """)
                .manifest("Implementation-Version", "1.2.3")
                .writeTo(plugins.resolve("boom.jar"));
        PluginJar.builder()
                .source("test.acme.AcmeIntegration", ACME_SOURCE)
                .integrations("test.acme.AcmeIntegration")
                .schema("acme_chat", """
                        key: acme_chat
                        title: Acme Chat
                        events: [run_completion]
                        settings:
                          - key: hook_url
                            title: Hook URL
                            required: true
                            secret: true
                          - key: api_key
                            title: API key
                            required: true
                            secret: true
                        """)
                .writeTo(plugins.resolve("acme.jar"));
        TestPlugins.simple("NoSchema", "no_schema", "").writeTo(plugins.resolve("broken.jar"));
        host = IntegrationsHost.create(HostConfig.fromYaml("""
                integrations:
                  signing-key: %s
                  delivery:
                    deadline: PT5S
                    max-attempts: 2
                    initial-backoff: PT0.01S
                  outbound:
                    allow-private-addresses: true
                sentry:
                  dsn: %s
                  environment: test
                """.formatted(KEY, sentry.dsn())), home);
        TestServer.serve(server, host);
    }

    @AfterStop
    static void stop() {
        host.close();
        target.close();
        sentry.close();
    }

    @BeforeEach
    void resetTarget() {
        target.reset();
    }

    @Test
    void healthIsUpWithTheCountsOfLoadedAndFailedPlugins() {
        HostClient.Answer answer = admin.get("/observe/health");

        assertThat(answer.status()).isEqualTo(200);
        JsonObject body = answer.json().asJsonObject();
        assertThat(body.getString("status")).isEqualTo("UP");
        assertThat(body.getJsonArray("checks")).containsExactly(Json.createObjectBuilder()
                .add("name", "plugins")
                .add("status", "UP")
                .add("data", Json.createObjectBuilder().add("loaded", 3).add("failed", 1))
                .build());
    }

    @Test
    void theOperatorsSocketAnswersUnknownPathsWithTheJson404() {
        HostClient.Answer missing = admin.get("/no-such-endpoint");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json()).isEqualTo(json("{\"error\": \"no such endpoint\", \"type\": \"not_found\"}"));
        assertThat(admin.get("/observe/metrics").status()).isEqualTo(200);
        HostClient.Answer missingObserver = admin.get("/observe/nothing-here");
        assertThat(missingObserver.status()).isEqualTo(404);
        assertThat(missingObserver.json()).isEqualTo(json("{\"error\": \"no such endpoint\", \"type\": \"not_found\"}"));
        // The public API is on the public port only.
        assertThat(admin.get("/integrations").status()).isEqualTo(404);
        assertThat(api.get("/integrations").status()).isEqualTo(200);
    }

    @Test
    void metricsAnswerOpenMetricsWhenTheAcceptHeaderAsksForItAndThePrometheusTextOtherwise() {
        target.enqueue(Reply.status(200, "ok"));
        assertThat(api.postEvent(event("run_completion", "null", echo())).status()).isEqualTo(201);

        HostClient.Answer open = admin.send(admin.request("/observe/metrics")
                .header("Accept", "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5"));
        HostClient.Answer plain = admin.send(admin.request("/observe/metrics").header("Accept", "text/plain"));
        HostClient.Answer any = admin.get("/observe/metrics");

        assertThat(open.status()).isEqualTo(200);
        assertThat(open.header("Content-Type")).startsWith("application/openmetrics-text; version=1.0.0");
        assertThat(open.body()).contains("# TYPE integrations_deliveries counter\n",
                "# TYPE jvm_memory_used_bytes gauge\n").endsWith("# EOF\n");
        for (HostClient.Answer answer : List.of(plain, any)) {
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.header("Content-Type")).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
            assertThat(answer.body()).contains("# TYPE integrations_deliveries_total counter\n",
                    "# TYPE jvm_memory_used_bytes gauge\n").doesNotContain("# EOF");
        }
        assertThat(any.header("Vary")).isEqualTo("Accept");
    }

    @Test
    void healthAndMetricsAreNotOnThePublicPort() {
        for (String path : new String[] {"/observe/health", "/observe/health/ready", "/observe/metrics", "/observe"}) {
            HostClient.Answer answer = api.get(path);

            assertThat(answer.status()).as(path).isEqualTo(404);
            assertThat(answer.json()).as(path)
                    .isEqualTo(json("{\"error\": \"no such endpoint\", \"type\": \"not_found\"}"));
        }
    }

    @Test
    void metricsCountEveryOutcomeRetryOutboundStatusAndAnswer() {
        Map<String, Double> before = scrape();

        target.enqueue(Reply.status(200, "ok"));
        assertThat(api.postEvent(event("run_completion", "\"m-1\"", echo())).status()).isEqualTo(201);
        assertThat(api.postEvent(event("run_completion", "\"m-1\"", echo())).status()).isEqualTo(201);
        assertThat(api.postEvent("""
                {"event_type": "run_error", "integrations": %s, "payload": {"run": {"id": 1}}}"""
                .formatted(echo())).status()).isEqualTo(201);
        target.enqueue(Reply.status(503, "busy"), Reply.status(200, "ok"));
        assertThat(api.postEvent(event("run_completion", "null", echo())).status()).isEqualTo(201);
        target.enqueue(Reply.status(401, "bad token"));
        assertThat(api.postEvent(event("run_completion", "null", echo())).status()).isEqualTo(400);
        target.enqueue(Reply.status(400, "malformed"));
        assertThat(api.postEvent(event("run_completion", "null", echo())).status()).isEqualTo(400);
        assertThat(unsigned.postEvent(event("run_completion", "null", echo())).status()).isEqualTo(401);

        Map<String, Double> after = scrape();
        assertThat(admin.get("/observe/metrics").body()).contains("# TYPE integrations_deliveries_total counter");
        String echoRun = "integration=\"echo\",event_type=\"run_completion\"";
        assertThat(delta(before, after, "integrations_deliveries_total", echoRun,
                "outcome=\"delivered\"", "error_type=\"none\"")).isEqualTo(2.0);
        assertThat(delta(before, after, "integrations_deliveries_total", echoRun,
                "outcome=\"duplicate\"", "error_type=\"none\"")).isEqualTo(1.0);
        assertThat(delta(before, after, "integrations_deliveries_total", "integration=\"echo\"",
                "event_type=\"run_error\"", "outcome=\"skipped\"", "error_type=\"none\"")).isEqualTo(1.0);
        assertThat(delta(before, after, "integrations_deliveries_total", echoRun,
                "outcome=\"failed\"", "error_type=\"user_configuration_error\"")).isEqualTo(1.0);
        assertThat(delta(before, after, "integrations_deliveries_total", echoRun,
                "outcome=\"failed\"", "error_type=\"misconfigured_integration\"")).isEqualTo(1.0);
        assertThat(delta(before, after, "integrations_delivery_retries_total", "integration=\"echo\"")).isEqualTo(1.0);
        assertThat(delta(before, after, "integrations_outbound_requests_total", "integration=\"echo\"",
                "status_class=\"2xx\"")).isEqualTo(2.0);
        assertThat(delta(before, after, "integrations_outbound_requests_total", "integration=\"echo\"",
                "status_class=\"4xx\"")).isEqualTo(2.0);
        assertThat(delta(before, after, "integrations_outbound_requests_total", "integration=\"echo\"",
                "status_class=\"5xx\"")).isEqualTo(1.0);
        assertThat(delta(before, after, "integrations_events_received_total", "status=\"201\"")).isEqualTo(4.0);
        assertThat(delta(before, after, "integrations_events_received_total", "status=\"400\"")).isEqualTo(2.0);
        assertThat(delta(before, after, "integrations_events_received_total", "status=\"401\"")).isEqualTo(1.0);
        // Timed: the deliveries that called the target (not the duplicate, not the skipped one).
        assertThat(delta(before, after, "integrations_delivery_duration_seconds_count", "integration=\"echo\""))
                .isEqualTo(4.0);
    }

    @Test
    void aPluginThatThrowsIsReportedWithTagsAndWithoutSecrets() {
        HostClient.Answer answer = api.postEvent(event("run_completion", "\"boom-1\"", """
                [{"key": "boom", "settings": {"url": "%s", "token": "%s"}}]"""
                .formatted(target.uri(SECRET_PATH), SECRET_TOKEN)));

        assertThat(answer.status()).isEqualTo(400);
        Optional<JsonObject> report = sentry.awaitEvent(event -> tag(event, "integration").equals("boom"));
        assertThat(report).isPresent();
        JsonObject event = report.get();
        assertThat(event.getJsonObject("tags")).containsAllEntriesOf(Map.of(
                "integration", Json.createValue("boom"),
                "event_type", Json.createValue("run_completion"),
                "plugin_version", Json.createValue("1.2.3"),
                "failure", Json.createValue("plugin_exception")));
        assertThat(event.getString("level")).isEqualTo("error");
        assertThat(event.getString("environment")).isEqualTo("test");
        JsonObject exception = event.getJsonObject("exception").getJsonArray("values").getJsonObject(0);
        assertThat(exception.getString("type")).isEqualTo("IllegalStateException");
        assertThat(exception.getString("value")).startsWith("cannot post to ").contains("[REDACTED]");
        assertNoSecretIn(String.join("\n", sentry.envelopes()));
        assertThat(sentry.paths()).allMatch(path -> path.equals("POST /api/1/envelope/"));
    }

    @Test
    void theSecretsAThirdPartyPluginDeclaresAreRemovedFromItsReportsInEveryForm() {
        HostClient.Answer answer = api.postEvent(event("run_completion", "\"acme-1\"", """
                [{"key": "acme_chat", "settings": {"hook_url": "%s", "api_key": "%s"}}]"""
                .formatted(ACME_HOOK, ACME_KEY)));

        assertThat(answer.status()).isEqualTo(400);
        Optional<JsonObject> report = sentry.awaitEvent(event -> tag(event, "integration").equals("acme_chat"));
        assertThat(report).isPresent();
        String message = report.get().getJsonObject("exception").getJsonArray("values").getJsonObject(0)
                .getString("value");
        assertThat(message).isEqualTo("no hook at [REDACTED] for [REDACTED] with X-Acme-Key [REDACTED]");
        String envelopes = String.join("\n", sentry.envelopes());
        for (String secret : new String[] {"tok-acme-5e1b", "acme-sig-77", ACME_KEY, "room-7"}) {
            assertThat(envelopes).doesNotContain(secret);
            assertThat(answer.body()).doesNotContain(secret);
        }
    }

    @Test
    void misconfiguredIntegrationIsReportedButUserConfigurationErrorIsNot() {
        target.enqueue(Reply.status(403, "token " + SECRET_TOKEN + " may not post"),
                Reply.status(422, "bad field in request for " + SECRET_TOKEN));
        String integrations = """
                [{"key": "echo", "settings": {"url": "%s", "token": "%s"}}]"""
                .formatted(target.uri(SECRET_PATH), SECRET_TOKEN);

        assertThat(api.postEvent(event("run_completion", "null", integrations)).status()).isEqualTo(400);
        assertThat(api.postEvent(event("run_test_failure", "null", integrations)).status()).isEqualTo(400);

        Optional<JsonObject> report = sentry.awaitEvent(event -> tag(event, "integration").equals("echo")
                && tag(event, "event_type").equals("run_test_failure"));
        assertThat(report).isPresent();
        assertThat(report.get().getJsonObject("tags").getString("failure")).isEqualTo("misconfigured_integration");
        assertThat(report.get().getJsonObject("message").getString("formatted")).isEqualTo(
                "misconfigured_integration from echo on an event of type run_test_failure: the echo target answered 422");
        assertThat(report.get().getJsonObject("extra").getInt("failed_response_code")).isEqualTo(422);
        // The SDK sends in order, so the user's error, sent first, would be here by now.
        assertThat(sentry.events()).noneMatch(event -> tag(event, "integration").equals("echo")
                && tag(event, "event_type").equals("run_completion") && tag(event, "failure").equals(
                "misconfigured_integration") && event.toString().contains("403"));
        assertNoSecretIn(String.join("\n", sentry.envelopes()));
    }

    @Test
    void oneLogLinePerEventNamesEachOutcomeAndTimeWithoutSecrets() {
        try (LogCapture logs = LogCapture.start()) {
            target.enqueue(Reply.status(200, "ok"));
            api.postEvent(event("run_completion", "\"log-1\"", """
                    [{"key": "echo", "settings": {"url": "%s", "token": "%s"}},
                     {"key": "boom", "settings": {"url": "%s"}}]"""
                    .formatted(target.uri(SECRET_PATH), SECRET_TOKEN, target.uri(SECRET_PATH))));

            assertThat(logs.text()).containsPattern("Dispatcher: Event run_completion \\(id log-1\\): "
                    + "echo=delivered \\(\\d+ ms\\), boom=failed/misconfigured_integration \\(\\d+ ms\\) in \\d+ ms");
            assertNoSecretIn(logs.text());
        }
    }

    private static void assertNoSecretIn(String text) {
        assertThat(text).doesNotContain(SECRET_TOKEN).doesNotContain(SECRET_PATH).doesNotContain("obs-secret")
                .doesNotContain(KEY);
    }

    private static String tag(JsonObject event, String name) {
        JsonObject tags = event.getJsonObject("tags");
        return tags == null ? "" : tags.getString(name, "");
    }

    /** The Prometheus samples: series (name and labels as written) to value. */
    private Map<String, Double> scrape() {
        HostClient.Answer answer = admin.get("/observe/metrics");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("Content-Type")).startsWith("text/plain");
        Map<String, Double> samples = new HashMap<>();
        Pattern sample = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\\{[^}]*})?) (\\S+)");
        answer.body().lines().filter(line -> !line.startsWith("#")).forEach(line -> {
            Matcher matcher = sample.matcher(line);
            if (matcher.find()) {
                samples.put(matcher.group(1), Double.parseDouble(matcher.group(2)));
            }
        });
        return samples;
    }

    /** The change of the one series of a name that has all the given labels. */
    private static double delta(Map<String, Double> before, Map<String, Double> after, String name,
                                String... labels) {
        String series = after.keySet().stream()
                .filter(key -> key.startsWith(name + "{"))
                .filter(key -> java.util.Arrays.stream(labels).allMatch(label -> java.util.Arrays.stream(
                        label.split(",(?=[a-z_]+=)")).allMatch(key::contains)))
                .reduce((first, second) -> {
                    throw new AssertionError("more than one series matches: " + first + ", " + second);
                })
                .orElseThrow(() -> new AssertionError("no series " + name + " with " + String.join(",", labels)
                        + " in " + after.keySet()));
        return after.get(series) - before.getOrDefault(series, 0.0);
    }

    private String echo() {
        return """
                [{"key": "echo", "settings": {"url": "%s", "token": "%s"}}]"""
                .formatted(target.uri(SECRET_PATH), SECRET_TOKEN);
    }

    private static String event(String type, String eventId, String integrations) {
        return """
                {"event_type": "%s", "event_id": %s, "integrations": %s,
                 "payload": {"frontend_url": "https://app.rainforestqa.com/runs/42",
                   "run": {"id": 42, "result": "failed"}, "failed_test": {"id": 7}, "browser": {},
                   "feedback": []}}""".formatted(type, eventId, integrations);
    }

    private static jakarta.json.JsonValue json(String text) {
        try (var reader = Json.createReader(new java.io.StringReader(text))) {
            return reader.readValue();
        }
    }
}
