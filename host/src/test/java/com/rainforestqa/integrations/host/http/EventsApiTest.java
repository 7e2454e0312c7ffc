package com.rainforestqa.integrations.host.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.rainforestqa.integrations.host.IntegrationsHost;
import com.rainforestqa.integrations.host.config.HostConfig;
import com.rainforestqa.integrations.host.testing.LogCapture;
import com.rainforestqa.integrations.host.testing.PluginJar;
import com.rainforestqa.integrations.host.testing.TestPlugins;
import com.rainforestqa.integrations.testkit.FakeTarget;
import com.rainforestqa.integrations.testkit.HostClient;
import com.rainforestqa.integrations.testkit.RecordedRequest;
import com.rainforestqa.integrations.testkit.Reply;

import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.AfterStop;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code POST /events}, {@code GET /events} and the error paths, over real HTTP against a fake target. */
@ServerTest
class EventsApiTest {
    static final String KEY = "test-signing-key";
    static final String SECRET_TOKEN = "tok-7f3a9c-secret";
    /** The event_id the host makes for a request that has none: a UUID (of any version, in its usual text). */
    static final String GENERATED_ID = "[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";

    private static FakeTarget target;
    private static IntegrationsHost host;

    private final HostClient api;

    EventsApiTest(WebServer server) {
        this.api = new HostClient(server.port(), KEY);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) throws IOException {
        target = FakeTarget.start();
        Path home = Files.createTempDirectory("integrations-home");
        TestPlugins.echo(home.resolve("plugins").resolve("echo.jar"));
        TestPlugins.echoWithoutRequestSettings("nosy", home.resolve("plugins").resolve("nosy.jar"));
        // Waits without context.http(), which no deadline shortens: only the host's own deadline ends it.
        PluginJar.builder()
                .source("test.sleepy.SleepyIntegration", """
                        package test.sleepy;

                        import com.rainforestqa.integrations.api.*;

                        public final class SleepyIntegration implements Integration {
                            @Override
                            public String key() {
                                return "sleepy";
                            }

                            @Override
                            public Outcome deliver(Event event, Settings settings, IntegrationContext context) {
                                try {
                                    Thread.sleep(30_000);
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                    throw new IntegrationException(ErrorType.TRANSIENT, "interrupted");
                                }
                                return Outcome.delivered();
                            }
                        }
                        """)
                .integrations("test.sleepy.SleepyIntegration")
                .schema("sleepy", TestPlugins.schema("sleepy"))
                .writeTo(home.resolve("plugins").resolve("sleepy.jar"));
        host = IntegrationsHost.create(HostConfig.fromYaml("""
                integrations:
                  signing-key: %s
                  max-body-size: 4096
                  max-integrations-per-event: 3
                  delivery:
                    deadline: PT2S
                    inline-deadline: PT2S
                    # Queued deliveries wait an hour: none fires during the run, at the target of a later test.
                    retry-schedule: [PT1H]
                  outbound:
                    read-timeout: PT5S
                    allow-private-addresses: true
                plugins:
                  echo:
                    greeting: hello
                """.formatted(KEY)), home);
        server.routing(host::routing);
    }

    @AfterStop
    static void stop() {
        host.close();
        target.close();
    }

    @BeforeEach
    void resetTarget() {
        target.reset();
    }

    @Test
    void signedEventIsDeliveredAndTheTargetReceivesIt() {
        HostClient.Answer answer = api.postEvent(event("run_completion", "\"e-1\"", echo()));

        assertThat(answer.status()).isEqualTo(201);
        assertThat(answer.json()).isEqualTo(json("""
                {"status": "ok", "event_id": "e-1", "results": [{"key": "echo", "status": "delivered"}]}"""));
        RecordedRequest received = target.onlyRequest();
        assertThat(received.method()).isEqualTo("POST");
        assertThat(received.path()).isEqualTo("/hook/secret-path");
        assertThat(received.header("authorization")).contains("Bearer " + SECRET_TOKEN);
        assertThat(received.json()).isEqualTo(json("""
                {"event_type": "run_completion", "event_id": "e-1", "run_id": "42", "jsonb": "{\\"a\\":1}",
                 "config": "hello", "oauth_key": ""}"""));
    }

    @Test
    void settingsAreAcceptedAsAListOfKeyValuePairs() {
        String integrations = """
                [{"key": "echo", "settings": [{"key": "url", "value": "%s"}, {"key": "token", "value": null}]}]
                """.formatted(target.uri("/hook/list"));

        HostClient.Answer answer = api.postEvent(event("run_completion", "null", integrations));

        assertThat(answer.status()).isEqualTo(201);
        assertThat(target.onlyRequest().header("authorization")).isEmpty();
    }

    @Test
    void oauthConsumerReachesIntegrationsAndItsSecretsAreNeverEchoed() {
        String pem = "-----BEGIN PRIVATE KEY-----MIIBVQIBADANBgkqhkiG9w0BAQEFAASC-----END PRIVATE KEY-----";
        target.setDefaultReply(Reply.status(400, "cannot use key " + pem));
        String request = event("run_completion", "null", echo()).replaceFirst("\\{", """
                {"oauth_consumer": {"key": "rainforest-consumer", "secrets": {"RSA-SHA1": "%s"}},""".formatted(pem));

        HostClient.Answer answer = api.postEvent(request);

        assertThat(target.onlyRequest().json().getString("oauth_key")).isEqualTo("rainforest-consumer");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().asJsonObject().getString("failed_response_body")).isEqualTo("cannot use key [REDACTED]");
    }

    @Test
    void oauthConsumerReachesOnlyIntegrationsWhoseSchemaAsksForIt() {
        String integrations = "[{\"key\": \"nosy\", \"settings\": {\"url\": \"" + target.uri("/nosy") + "\"}}, "
                + echo().substring(1);
        String request = event("run_completion", "null", integrations).replaceFirst("\\{", """
                {"oauth_consumer": {"key": "rainforest-consumer", "secrets": {"RSA-SHA1": "PEM"}},""");

        HostClient.Answer answer = api.postEvent(request);

        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        assertThat(target.requests()).hasSize(2);
        assertThat(target.requests()).filteredOn(received -> received.path().equals("/nosy")).singleElement()
                .satisfies(received -> assertThat(received.json().getString("oauth_key")).isEmpty());
        assertThat(target.requests()).filteredOn(received -> received.path().equals("/hook/secret-path"))
                .singleElement().satisfies(received -> assertThat(received.json().getString("oauth_key"))
                        .isEqualTo("rainforest-consumer"));
    }

    @Test
    void eventTheIntegrationDoesNotHandleIsSkipped() {
        HostClient.Answer answer = api.postEvent("""
                {"event_type": "run_error", "integrations": %s,
                 "payload": {"run": {"id": 1, "error_reason": "boom"}}}""".formatted(echo()));

        assertThat(answer.status()).isEqualTo(201);
        assertThat(answer.json()).isEqualTo(json("""
                {"status": "ok", "event_id": "%s", "results": [{"key": "echo", "status": "skipped",
                  "reason": "echo does not handle run_error events"}]}""".formatted(generatedId(answer))));
        assertThat(target.requests()).isEmpty();
    }

    @Test
    void integrationTestIsDeliveredToEveryIntegration() {
        HostClient.Answer answer = api.postEvent("""
                {"event_type": "integration_test", "integrations": %s}""".formatted(echo()));

        assertThat(answer.status()).isEqualTo(201);
        assertThat(target.onlyRequest().json().getString("event_type")).isEqualTo("integration_test");
    }

    @Test
    void targetRejectingTheSettingsIsAUserConfigurationErrorWithSecretsRemoved() {
        target.setDefaultReply(Reply.status(404, "no hook at /hook/secret-path for token " + SECRET_TOKEN));

        HostClient.Answer answer = api.postEvent(event("run_completion", "null", echo()));

        assertThat(answer.status()).isEqualTo(400);
        String eventId = generatedId(answer);
        assertThat(answer.json()).isEqualTo(json("""
                {"error": "echo: the echo target answered 404", "type": "user_configuration_error",
                 "failed_response_code": 404,
                 "failed_response_body": "no hook at [REDACTED] for token [REDACTED]",
                 "event_id": "%s",
                 "results": [{"key": "echo", "status": "failed", "type": "user_configuration_error",
                   "error": "the echo target answered 404", "failed_response_code": 404,
                   "failed_response_body": "no hook at [REDACTED] for token [REDACTED]"}]}""".formatted(eventId)));
        assertThat(answer.body()).doesNotContain(SECRET_TOKEN);
        // The id made for the request is the one the target received.
        assertThat(target.onlyRequest().json().getString("event_id")).isEqualTo(eventId);
    }

    @Test
    void unreachableTargetIsQueuedWithoutTheUrl() throws IOException {
        int closedPort;
        try (var socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        String integrations = "[{\"key\": \"echo\", \"settings\": {\"url\": \"http://127.0.0.1:" + closedPort
                + "/hook/very-secret-path\"}}]";
        Instant sent = Instant.now();

        HostClient.Answer answer = api.postEvent(event("run_completion", "null", integrations));

        JsonObject result = onlyQueuedResult(answer, sent);
        generatedId(answer);
        assertThat(result.keySet()).containsExactlyInAnyOrder("key", "status", "type", "error", "next_attempt_at");
        assertThat(result.getString("error")).startsWith("could not reach 127.0.0.1");
        assertThat(answer.body()).doesNotContain("very-secret-path");
    }

    @Test
    void targetThatAnswersAfterTheDeadlineIsQueued() {
        target.setDefaultReply(Reply.status(200, "ok").after(Duration.ofSeconds(4)));
        Instant sent = Instant.now();

        HostClient.Answer answer = api.postEvent(event("run_completion", "null", echo()));

        JsonObject result = onlyQueuedResult(answer, sent);
        assertThat(result.keySet()).containsExactlyInAnyOrder("key", "status", "type", "error", "next_attempt_at");
        // The client's read time-out and the inline deadline end the wait at the same moment; either may say so.
        assertThat(result.getString("error")).isIn("no answer within the inline deadline of 2 s",
                "could not reach 127.0.0.1: no answer in time (SocketTimeoutException)");
        assertThat(target.requests()).hasSize(1);
    }

    @Test
    @Timeout(15)
    void aPluginThatWaitsPastTheDeadlineIsCutOffAndTheConnectionKeepsServing() {
        String sleepy = "[{\"key\": \"sleepy\", \"settings\": {}}]";

        HostClient.Answer alone = api.postEvent(event("run_completion", "null", sleepy));
        HostClient.Answer beside = api.postEvent(event("run_completion", "null",
                sleepy.replace("]", ", " + echo().substring(1))));

        // Alone, it runs on the request's thread; beside another, on a thread of its own: the same answer.
        for (HostClient.Answer answer : List.of(alone, beside)) {
            JsonArray results = accepted(answer).getJsonArray("results");
            JsonObject result = results.getJsonObject(0);
            assertThat(result.getString("key")).isEqualTo("sleepy");
            assertThat(result.getString("status")).isEqualTo("queued");
            assertThat(result.getString("type")).isEqualTo("delivery_failed");
            assertThat(result.getString("error")).isEqualTo("no answer within the inline deadline of 2 s");
        }
        assertThat(alone.json().asJsonObject().getJsonArray("results")).hasSize(1);
        assertThat(beside.json().asJsonObject().getJsonArray("results").getJsonObject(1)).isEqualTo(json("""
                {"key": "echo", "status": "delivered"}"""));
        // The interrupt that ended the wait does not linger on the request's thread.
        assertThat(api.postEvent(event("run_completion", "\"after-sleepy\"", echo())).status()).isEqualTo(201);
    }

    @Test
    void everyIntegrationGetsItsOwnResultInRequestOrder() {
        target.enqueue(Reply.status(200, "ok"));
        String integrations = """
                [{"key": "echo", "settings": {"url": "%s"}},
                 {"key": "echo", "settings": {"url": "%s"}}]
                """.formatted(target.uri("/one"), target.uri("/two"));
        target.setDefaultReply(Reply.status(404, "gone"));

        HostClient.Answer answer = api.postEvent(event("run_completion", "null", integrations));

        assertThat(answer.status()).isEqualTo(400);
        JsonArray results = answer.json().asJsonObject().getJsonArray("results");
        assertThat(results).hasSize(2);
        assertThat(results.getJsonObject(0).getString("key")).isEqualTo("echo");
        assertThat(results.stream().map(result -> result.asJsonObject().getString("status")))
                .containsExactlyInAnyOrder("delivered", "failed");
        assertThat(target.requests()).hasSize(2);
    }

    @Test
    void transientFailuresAreRetriedUntilDelivered() {
        target.enqueue(Reply.status(503, "busy"), Reply.status(502, "bad gateway"));

        HostClient.Answer answer = api.postEvent(event("run_completion", "null", echo()));

        assertThat(answer.status()).isEqualTo(201);
        assertThat(target.requests()).hasSize(3);
    }

    @Test
    void rateLimitIsRetriedAfterTheTargetsRetryAfter() {
        target.enqueue(Reply.status(429, "slow down").withHeader("Retry-After", "1"));

        HostClient.Answer answer = api.postEvent(event("run_completion", "null", echo()));

        assertThat(answer.status()).isEqualTo(201);
        assertThat(target.requests()).hasSize(2);
        assertThat(java.time.Duration.between(target.requests().get(0).receivedAt(),
                target.requests().get(1).receivedAt())).isGreaterThanOrEqualTo(Duration.ofMillis(900));
    }

    @Test
    void targetThatKeepsFailingIsQueuedWithItsLastAnswer() {
        target.setDefaultReply(Reply.status(500, "internal error"));
        Instant sent = Instant.now();

        HostClient.Answer answer = api.postEvent(event("run_completion", "null", echo()));

        JsonObject result = onlyQueuedResult(answer, sent);
        assertThat(result.keySet()).containsExactlyInAnyOrder("key", "status", "type", "error", "next_attempt_at",
                "failed_response_code", "failed_response_body");
        assertThat(result.getInt("failed_response_code")).isEqualTo(500);
        assertThat(result.getString("failed_response_body")).isEqualTo("internal error");
        assertThat(result.getString("error")).matches("the echo target answered 500 \\(after [2-4] attempts\\)");
        assertThat(target.requests()).hasSizeBetween(2, 4);
    }

    @Test
    void userConfigurationErrorsAreNotRetried() {
        target.setDefaultReply(Reply.status(401, "bad token"));

        api.postEvent(event("run_completion", "null", echo()));

        assertThat(target.requests()).hasSize(1);
    }

    @Test
    void repeatedEventIsReportedAsDuplicateAndNotSentAgain() {
        String id = "dup-" + UUID.randomUUID();
        String request = event("run_completion", "\"" + id + "\"", echo());

        HostClient.Answer first = api.postEvent(request);
        HostClient.Answer second = api.postEvent(request);

        assertThat(first.status()).isEqualTo(201);
        assertThat(first.json()).isEqualTo(json("""
                {"status": "ok", "event_id": "%s", "results": [{"key": "echo", "status": "delivered"}]}"""
                .formatted(id)));
        assertThat(second.status()).isEqualTo(201);
        assertThat(second.json()).isEqualTo(json("""
                {"status": "ok", "event_id": "%s", "results": [{"key": "echo", "status": "duplicate",
                  "reason": "delivered before; not sent again"}]}""".formatted(id)));
        assertThat(target.requests()).hasSize(1);
        assertThat(target.onlyRequest().json().getString("event_id")).isEqualTo(id);
    }

    @Test
    void repeatAfterAPartialFailureDeliversOnlyToTheIntegrationThatFailed() {
        String id = "\"partial-" + UUID.randomUUID() + "\"";
        String integrations = """
                [{"key": "echo", "settings": {"url": "%s"}},
                 {"key": "echo", "settings": {"url": "%s"}}]
                """.formatted(target.uri("/good"), target.uri("/flaky"));
        target.setDefaultReply(Reply.status(404, "not yet"));
        target.enqueue(Reply.status(200, "ok"));

        HostClient.Answer first = api.postEvent(event("run_completion", id, integrations));
        target.reset();
        HostClient.Answer second = api.postEvent(event("run_completion", id, integrations));

        assertThat(first.status()).isEqualTo(400);
        assertThat(second.status()).isEqualTo(201);
        JsonArray results = second.json().asJsonObject().getJsonArray("results");
        assertThat(results.stream().map(result -> result.asJsonObject().getString("status")).toList())
                .containsExactlyInAnyOrder("duplicate", "delivered");
        assertThat(target.onlyRequest().path()).isIn("/good", "/flaky");
        String delivered = first.json().asJsonObject().getJsonArray("results").getJsonObject(0)
                .getString("status").equals("delivered") ? "/good" : "/flaky";
        assertThat(target.onlyRequest().path()).isNotEqualTo(delivered);
    }

    @Test
    void concurrentCopiesOfAnEventAreDeliveredOnce() throws Exception {
        target.setDefaultReply(Reply.status(200, "ok").after(Duration.ofMillis(300)));
        String request = event("run_completion", "\"burst-" + UUID.randomUUID() + "\"", echo());

        List<HostClient.Answer> answers;
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<HostClient.Answer>> posts = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                posts.add(clients.submit(() -> api.postEvent(request)));
            }
            answers = new ArrayList<>();
            for (Future<HostClient.Answer> post : posts) {
                answers.add(post.get());
            }
        }

        assertThat(target.requests()).hasSize(1);
        assertThat(answers).extracting(HostClient.Answer::status).containsOnly(201);
        assertThat(answers.stream().map(answer -> answer.json().asJsonObject().getJsonArray("results")
                .getJsonObject(0).getString("status")))
                .containsOnlyOnce("delivered")
                .filteredOn("duplicate"::equals).hasSize(19);
    }

    @Test
    void concurrentCopiesOfAnEventItsIntegrationSkipsAreAllAnswered() throws Exception {
        // Each copy finds no record of the skip and records one: the copies' records meet in the store.
        String request = """
                {"event_type": "run_error", "event_id": "skip-%s", "integrations": %s,
                 "payload": {"run": {"id": 1, "error_reason": "boom"}}}""".formatted(UUID.randomUUID(), echo());

        List<HostClient.Answer> answers = new ArrayList<>();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<HostClient.Answer>> posts = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                posts.add(clients.submit(() -> api.postEvent(request)));
            }
            for (Future<HostClient.Answer> post : posts) {
                answers.add(post.get());
            }
        }

        assertThat(answers).allSatisfy(answer -> {
            assertThat(answer.status()).as(answer.body()).isEqualTo(201);
            assertThat(answer.json().asJsonObject().getJsonArray("results").getJsonObject(0).getString("status"))
                    .isEqualTo("skipped");
        });
        assertThat(target.requests()).isEmpty();
    }

    @Test
    void idempotencyKeyHeaderActsAsTheEventId() {
        String key = "idem-" + UUID.randomUUID();
        byte[] body = event("run_completion", "null", echo()).getBytes(StandardCharsets.UTF_8);

        for (int i = 0; i < 2; i++) {
            api.send(api.post(body).header("X-Signature", HostClient.sign(KEY, body)).header("Idempotency-Key", key));
        }

        assertThat(target.onlyRequest().json().getString("event_id")).isEqualTo(key);
    }

    @Test
    void sameEventToAnotherConfigurationIsDeliveredAgain() {
        String id = "\"other-" + UUID.randomUUID() + "\"";

        api.postEvent(event("run_completion", id, echo()));
        HostClient.Answer second = api.postEvent(event("run_completion", id,
                "[{\"key\": \"echo\", \"settings\": {\"url\": \"" + target.uri("/elsewhere") + "\"}}]"));

        assertThat(second.json().asJsonObject().getJsonArray("results").getJsonObject(0).getString("status"))
                .isEqualTo("delivered");
        assertThat(target.requests()).hasSize(2);
    }

    @Test
    void unsignedEventIsRejected() {
        HostClient.Answer answer = api.send(api.post(event("run_completion", "null", echo())
                .getBytes(StandardCharsets.UTF_8)));

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.json()).isEqualTo(json("""
                {"status": "unauthorized", "error": "the X-Signature header is missing", "type": "unauthorized"}"""));
        assertThat(target.requests()).isEmpty();
    }

    @Test
    void wronglySignedEventIsRejected() {
        byte[] body = event("run_completion", "null", echo()).getBytes(StandardCharsets.UTF_8);
        byte[] other = "{}".getBytes(StandardCharsets.UTF_8);

        HostClient.Answer wrongBody = api.send(api.post(body).header("X-Signature", HostClient.sign(KEY, other)));
        HostClient.Answer wrongKey = api.send(api.post(body).header("X-Signature", HostClient.sign("other", body)));

        assertThat(wrongBody.status()).isEqualTo(401);
        assertThat(wrongKey.status()).isEqualTo(401);
        assertThat(wrongKey.json().asJsonObject().getString("error")).isEqualTo("the X-Signature does not match the body");
        assertThat(target.requests()).isEmpty();
    }

    @Test
    void timestampedSignatureCoversTheTimestampAndTheBody() {
        byte[] body = event("run_completion", "null", echo()).getBytes(StandardCharsets.UTF_8);
        long now = Instant.now().getEpochSecond();

        HostClient.Answer answer = api.send(api.post(body).header("X-Signature", HostClient.sign(KEY, now, body))
                .header("X-Signature-Timestamp", Long.toString(now)));

        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        assertThat(target.requests()).hasSize(1);
    }

    @Test
    void signatureOverTheBodyAloneIsRefusedWhenATimestampIsSent() {
        byte[] body = event("run_completion", "null", echo()).getBytes(StandardCharsets.UTF_8);
        long now = Instant.now().getEpochSecond();

        HostClient.Answer bodyOnly = api.send(api.post(body).header("X-Signature", HostClient.sign(KEY, body))
                .header("X-Signature-Timestamp", Long.toString(now)));
        HostClient.Answer otherTime = api.send(api.post(body).header("X-Signature", HostClient.sign(KEY, now, body))
                .header("X-Signature-Timestamp", Long.toString(now - 1)));

        assertThat(bodyOnly.status()).isEqualTo(401);
        assertThat(bodyOnly.json()).isEqualTo(json("""
                {"status": "unauthorized", "error": "the X-Signature does not match the X-Signature-Timestamp and the body",
                 "type": "unauthorized"}"""));
        assertThat(otherTime.status()).isEqualTo(401);
        assertThat(target.requests()).isEmpty();
    }

    @Test
    void timestampOutsideTheDefaultToleranceOfFiveMinutesIsRefusedEitherWay() {
        byte[] body = event("run_completion", "null", echo()).getBytes(StandardCharsets.UTF_8);
        long now = Instant.now().getEpochSecond();

        HostClient.Answer stale = postAt(now - 360, body);
        HostClient.Answer early = postAt(now + 360, body);

        assertThat(stale.status()).isEqualTo(401);
        assertThat(stale.json().asJsonObject().getString("status")).isEqualTo("unauthorized");
        assertThat(stale.json().asJsonObject().getString("type")).isEqualTo("unauthorized");
        assertThat(stale.json().asJsonObject().getString("error"))
                .matches("the X-Signature-Timestamp is 3[56][0-9] s behind this server's clock; at most 300 s is "
                        + "accepted");
        assertThat(early.status()).isEqualTo(401);
        assertThat(early.json().asJsonObject().getString("error")).contains(" s ahead of this server's clock");
        assertThat(target.requests()).isEmpty();

        assertThat(postAt(now - 240, body).status()).isEqualTo(201);
        assertThat(postAt(now + 240, body).status()).isEqualTo(201);
    }

    @Test
    void malformedTimestampIsUnauthorized() {
        byte[] body = event("run_completion", "null", echo()).getBytes(StandardCharsets.UTF_8);
        long now = Instant.now().getEpochSecond();

        for (String timestamp : List.of("", "soon", now + ".5", "-" + now, now + "000000", "0x10", "1e9")) {
            HostClient.Answer answer = api.send(api.post(body)
                    .header("X-Signature", HostClient.sign(KEY, (timestamp + "." + new String(body,
                            StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8)))
                    .header("X-Signature-Timestamp", timestamp));

            assertThat(answer.status()).as(timestamp).isEqualTo(401);
            assertThat(answer.json()).as(timestamp).isEqualTo(json("""
                    {"status": "unauthorized", "error": "the X-Signature-Timestamp must be a Unix time in whole seconds",
                     "type": "unauthorized"}"""));
        }
        assertThat(target.requests()).isEmpty();
    }

    @Test
    void signatureHeaderNameIsCaseInsensitive() {
        byte[] body = event("run_completion", "null", echo()).getBytes(StandardCharsets.UTF_8);

        HostClient.Answer answer = api.send(api.post(body).header("x-signature", HostClient.sign(KEY, body)));

        assertThat(answer.status()).isEqualTo(201);
    }

    @Test
    void bodyThatIsNotJsonIsInvalid() {
        assertInvalid("{\"event_type\": ", "the body is not valid JSON");
        assertInvalid("[1, 2]", "the body must be a JSON object");
        assertInvalid("", "the body is not valid JSON");
    }

    @Test
    void wrongTypesAreInvalid() {
        assertInvalid("{\"event_type\": 5, \"integrations\": []}", "\"event_type\" must be a string");
        assertInvalid("{\"event_type\": \"run_completion\", \"integrations\": {}, \"payload\": {\"run\": {}}}",
                "\"integrations\" must be a list");
        assertInvalid("{\"event_type\": \"run_completion\", \"integrations\": [], \"payload\": {\"run\": {}}}",
                "\"integrations\" lists no integration");
        assertInvalid("{\"event_type\": \"run_completion\", \"integrations\": [{\"key\": 1}], \"payload\": {\"run\": {}}}",
                "each entry of \"integrations\" must be an object with a string \"key\"");
        assertInvalid(event("run_completion", "7", echo()), "\"event_id\" must be a string");
        assertInvalid("{\"event_type\": \"run_completion\", \"integrations\": [{\"key\": \"echo\", \"settings\": 3}],"
                + " \"payload\": {\"run\": {}}}", "integration \"echo\": settings must be an object");
        assertInvalid("{\"event_type\": \"run_completion\", \"integrations\": " + echo() + ", \"payload\": []}",
                "\"payload\" must be an object");
    }

    @Test
    void unknownEventIsInvalid() {
        assertInvalid(event("run_exploded", "null", echo()), "unknown event_type \"run_exploded\"");
    }

    @Test
    void payloadMissingARequiredKeyIsInvalid() {
        assertInvalid("{\"event_type\": \"run_test_failure\", \"integrations\": " + echo()
                + ", \"payload\": {\"run\": {\"id\": 1}, \"failed_test\": {\"id\": 2}}}",
                "payload is missing \"browser\", which run_test_failure requires");
        assertInvalid("{\"event_type\": \"run_completion\", \"integrations\": " + echo()
                + ", \"payload\": {\"run\": \"7\"}}", "payload \"run\" must be an object");
    }

    @Test
    void duplicateKeysAreInvalid() {
        assertInvalid("{\"event_type\": \"run_completion\", \"event_type\": \"run_error\"}", "the body is not valid JSON");
    }

    @Test
    void unknownIntegrationIsRejectedBeforeAnythingIsSent() {
        String integrations = echo().replace("]", ", {\"key\": \"carrier_pigeon\", \"settings\": {}}]");

        HostClient.Answer answer = api.postEvent(event("run_completion", "null", integrations));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json()).isEqualTo(json("""
                {"error": "carrier_pigeon: no integration \\"carrier_pigeon\\" is installed",
                 "type": "unsupported_integration",
                 "results": [{"key": "echo", "status": "skipped", "reason": "not sent: the request was rejected"},
                             {"key": "carrier_pigeon", "status": "failed", "type": "unsupported_integration",
                              "error": "no integration \\"carrier_pigeon\\" is installed"}]}"""));
        assertThat(target.requests()).isEmpty();
    }

    @Test
    void missingRequiredSettingsAreRejectedBeforeAnythingIsSent() {
        String integrations = "[{\"key\": \"echo\", \"settings\": {\"url\": \"\", \"token\": \"" + SECRET_TOKEN + "\"}}]";

        HostClient.Answer answer = api.postEvent(event("run_completion", "null", integrations));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json()).isEqualTo(json("""
                {"error": "echo: missing required settings: url", "type": "misconfigured_integration",
                 "results": [{"key": "echo", "status": "failed", "type": "misconfigured_integration",
                              "error": "missing required settings: url"}]}"""));
        assertThat(target.requests()).isEmpty();
    }

    @Test
    void eventNamingMoreIntegrationsThanTheLimitIsRejectedBeforeAnythingIsSent() {
        assertInvalid(event("run_completion", "null", echoes(4)), "\"integrations\" lists 4 integrations; at most 3 "
                + "are accepted in one event (integrations.max-integrations-per-event)");

        HostClient.Answer atTheLimit = api.postEvent(event("run_completion", "null", echoes(3)));

        assertThat(atTheLimit.status()).as(atTheLimit.body()).isEqualTo(201);
        assertThat(target.requests()).hasSize(3);
    }

    @Test
    void oversizedBodyIsRefused() {
        String padding = "x".repeat(5000);
        HostClient.Answer answer = api.postEvent(event("run_completion", "\"" + padding + "\"", echo()));

        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.json().asJsonObject().getString("error")).isEqualTo("the body is larger than 4096 bytes");
        assertThat(target.requests()).isEmpty();
    }

    @Test
    void nonJsonContentTypeIsRefused() {
        byte[] body = event("run_completion", "null", echo()).getBytes(StandardCharsets.UTF_8);

        HostClient.Answer form = api.send(api.request("/events").header("Content-Type", "text/plain")
                .header("X-Signature", HostClient.sign(KEY, body)).POST(HttpRequest.BodyPublishers.ofByteArray(body)));
        HostClient.Answer none = api.send(api.request("/events")
                .header("X-Signature", HostClient.sign(KEY, body)).POST(HttpRequest.BodyPublishers.ofByteArray(body)));

        assertThat(form.status()).isEqualTo(415);
        assertThat(none.status()).isEqualTo(415);
        assertThat(form.json().asJsonObject().getString("type")).isEqualTo("invalid_request");
    }

    @Test
    void jsonWithCharsetIsAccepted() {
        byte[] body = event("run_completion", "null", echo()).getBytes(StandardCharsets.UTF_8);

        for (String type : List.of("application/json; charset=utf-8", "application/json;charset=UTF-8",
                "application/json; Charset=\"Utf-8\"")) {
            HostClient.Answer answer = api.send(api.request("/events").header("Content-Type", type)
                    .header("X-Signature", HostClient.sign(KEY, body))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)));

            assertThat(answer.status()).as(type + ": " + answer.body()).isEqualTo(201);
        }
    }

    @Test
    void jsonInACharsetOtherThanUtf8IsRefused() {
        for (String charset : List.of("utf-16", "UTF-16LE", "\"iso-8859-1\"", "us-ascii", "utf-32")) {
            byte[] body = event("run_completion", "null", echo()).getBytes(
                    charset.equals("us-ascii") ? StandardCharsets.US_ASCII : StandardCharsets.UTF_16LE);

            HostClient.Answer answer = api.send(api.request("/events")
                    .header("Content-Type", "application/json; charset=" + charset)
                    .header("X-Signature", HostClient.sign(KEY, body))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)));

            assertThat(answer.status()).as(charset).isEqualTo(415);
            assertThat(answer.json()).as(charset).isEqualTo(json("""
                    {"error": "the body must be JSON in UTF-8: send Content-Type: application/json without a charset, or with charset=utf-8",
                     "type": "invalid_request"}"""));
        }
        assertThat(target.requests()).isEmpty();
    }

    @Test
    void catalogueListsEveryEventIncludingIntegrationTest() {
        HostClient.Answer answer = api.get("/events");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("Content-Type")).startsWith("application/json");
        JsonArray events = answer.json().asJsonArray();
        assertThat(events.stream().map(event -> event.asJsonObject().getString("key")))
                .containsExactly("run_completion", "run_error", "webhook_timeout", "run_test_failure",
                        "integration_test");
        assertThat(events.getJsonObject(3).getJsonObject("payload")).isEqualTo(json("""
                {"run": ["id", "description", "environment"], "failed_test": ["id", "title", "frontend_url"],
                 "browser": ["description"]}"""));
        assertThat(events.getJsonObject(4).getJsonObject("payload")).isEmpty();
    }

    @Test
    void unknownPathIsAJson404() {
        HostClient.Answer answer = api.get("/nothing/here");

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.json().asJsonObject().getString("type")).isEqualTo("not_found");
    }

    @Test
    void malformedRequestsNeverGiveA5xxAndTheServerKeepsServing() {
        Random random = new Random(42);
        String valid = event("run_completion", "\"e\"", echo());
        for (int i = 0; i < 2000; i++) {
            String body = malformed(random, valid);
            HostClient.Answer answer = api.postEvent(body);
            // A mutation may leave a valid event, so 201 is allowed, and 202 when it leaves a target that cannot
            // be reached (a port changed): that delivery is queued. Anything else must be the client's fault.
            String shown = body.length() > 300 ? body.substring(0, 300) : body;
            assertThat(answer.status()).as("answer to %s", shown).isIn(201, 202, 400, 413);
            JsonObject json = answer.json().asJsonObject();
            switch (answer.status()) {
                case 201 -> assertThat(json.getString("status")).as("answer to %s", shown).isEqualTo("ok");
                case 202 -> {
                    assertThat(json.getString("status")).as("answer to %s", shown).isEqualTo("accepted");
                    assertThat(answer.header("Location")).as("answer to %s", shown).startsWith("/deliveries/");
                }
                default -> assertThat(json.getString("type")).as("answer to %s", shown).isIn("invalid_request",
                        "unsupported_integration", "misconfigured_integration", "user_configuration_error");
            }
        }
        target.reset();
        assertThat(api.postEvent(event("run_completion", "\"after-fuzz\"", echo())).status()).isEqualTo(201);
    }

    @Test
    void deeplyNestedJsonIsInvalidNotACrash() {
        String deep = "{\"event_type\": \"run_completion\", \"payload\": " + "[".repeat(1500) + "]".repeat(1500) + "}";

        HostClient.Answer answer = api.postEvent(deep);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().asJsonObject().getString("type")).isEqualTo("invalid_request");
    }

    @Test
    void invalidUtf8IsInvalid() {
        byte[] body = event("run_completion", "\"\u00ff\"", echo()).getBytes(StandardCharsets.ISO_8859_1);

        HostClient.Answer answer = api.send(api.post(body).header("X-Signature", HostClient.sign(KEY, body)));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().asJsonObject().getString("error")).isEqualTo("the body is not valid UTF-8");
    }

    @Test
    void secretsNeverAppearInLogsOrAnswersOnAnyFailurePath() throws IOException {
        String token = "s3cret-tok-" + UUID.randomUUID();
        String urlSecret = "hook-" + UUID.randomUUID();
        String pem = "PEM-" + UUID.randomUUID();
        String integrations = "[{\"key\": \"echo\", \"settings\": {\"url\": \"" + target.uri("/" + urlSecret)
                + "\", \"token\": \"" + token + "\"}}]";
        List<String> answers = new ArrayList<>();
        try (LogCapture logs = LogCapture.start()) {
            for (Reply reply : List.of(
                    Reply.status(401, "bad token " + token + " for /" + urlSecret),
                    Reply.status(400, "echo: " + token),
                    Reply.status(503, token),
                    Reply.status(200, "ok").after(Duration.ofSeconds(4)))) {
                target.reset();
                target.setDefaultReply(reply);
                answers.add(api.postEvent("{\"oauth_consumer\": {\"key\": \"c\", \"secrets\": {\"RSA-SHA1\": \""
                        + pem + "\"}}, " + event("run_completion", "null", integrations).strip().substring(1)).body());
            }
            int closedPort;
            try (var socket = new java.net.ServerSocket(0)) {
                closedPort = socket.getLocalPort();
            }
            answers.add(api.postEvent(event("run_completion", "null", integrations.replace(
                    String.valueOf(target.port()), String.valueOf(closedPort)))).body());
            answers.add(api.postEvent(event("run_completion", "null", integrations.replace("echo", "nope"))).body());
            answers.add(api.postEvent(event("run_completion", "null", integrations).replace("\"url\"", "\"uri\""))
                    .body());
            answers.add(api.send(api.post(("{\"token\": \"" + token + "\"").getBytes(StandardCharsets.UTF_8))
                    .header("X-Signature", "00")).body());

            String everything = String.join("\n", answers) + "\n" + logs.text();
            assertThat(logs.text()).isNotEmpty();
            assertThat(everything).doesNotContain(token).doesNotContain(urlSecret).doesNotContain(pem)
                    .doesNotContain(KEY);
        }
    }

    private static String malformed(Random random, String valid) {
        return switch (random.nextInt(6)) {
            case 0 -> "{\"event_type\": " + "[".repeat(random.nextInt(5000)) + "}";
            case 1 -> valid.replace("\"e\"", "\"" + "x".repeat(200 + random.nextInt(3000)) + "\"")
                    .replace("run_completion", "run_" + "z".repeat(random.nextInt(2000)));
            case 2 -> valid.replaceFirst("\"integrations\": \\[", "\"integrations\": [" + random.nextInt() + ", ");
            case 3 -> valid.replace("\"run\": {", "\"run\": " + List.of("1", "[]", "\"s\"", "null", "true")
                    .get(random.nextInt(5)) + ", \"x\": {");
            default -> {
                StringBuilder mutated = new StringBuilder(valid);
                int edits = 1 + random.nextInt(6);
                for (int e = 0; e < edits; e++) {
                    int at = random.nextInt(mutated.length());
                    switch (random.nextInt(3)) {
                        case 0 -> mutated.deleteCharAt(at);
                        case 1 -> mutated.insert(at, "{}[]\",:0tn\\\u00e9\u0000".charAt(random.nextInt(13)));
                        default -> mutated.setCharAt(at, (char) (32 + random.nextInt(95)));
                    }
                }
                yield mutated.toString();
            }
        };
    }

    /** @return the event_id of the answer to a request without one, checked to be one the host made */
    private static String generatedId(HostClient.Answer answer) {
        String id = answer.json().asJsonObject().getString("event_id");
        assertThat(id).matches(GENERATED_ID);
        return id;
    }

    /** @return the body of a 202: accepted, and where the event's deliveries can be followed */
    private static JsonObject accepted(HostClient.Answer answer) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(202);
        JsonObject body = answer.json().asJsonObject();
        assertThat(body.keySet()).containsExactlyInAnyOrder("status", "event_id", "results");
        assertThat(body.getString("status")).isEqualTo("accepted");
        assertThat(answer.header("Location")).isEqualTo("/deliveries/" + body.getString("event_id"));
        return body;
    }

    /**
     * Checks the answer to an event whose one delivery, to echo, failed transiently and was queued: a 202, and the
     * next attempt after the schedule's one wait of an hour, give or take its default jitter of a fifth.
     *
     * @param sent when the request was sent
     * @return the delivery's result
     */
    private static JsonObject onlyQueuedResult(HostClient.Answer answer, Instant sent) {
        JsonArray results = accepted(answer).getJsonArray("results");
        assertThat(results).hasSize(1);
        JsonObject result = results.getJsonObject(0);
        assertThat(result.getString("key")).isEqualTo("echo");
        assertThat(result.getString("status")).isEqualTo("queued");
        assertThat(result.getString("type")).isEqualTo("delivery_failed");
        assertThat(Instant.parse(result.getString("next_attempt_at")))
                .isBetween(sent.plus(Duration.ofMinutes(48)), Instant.now().plus(Duration.ofMinutes(72)));
        return result;
    }

    private void assertInvalid(String body, String error) {
        HostClient.Answer answer = api.postEvent(body);

        assertThat(answer.status()).as(body).isEqualTo(400);
        JsonObject json = answer.json().asJsonObject();
        assertThat(json.getString("type")).isEqualTo("invalid_request");
        assertThat(json.getString("error")).startsWith(error);
        assertThat(json.getJsonArray("results")).isEmpty();
        assertThat(target.requests()).isEmpty();
    }

    /** Posts a body signed over the given timestamp and the body, as a caller whose clock says that time. */
    private HostClient.Answer postAt(long timestamp, byte[] body) {
        return api.send(api.post(body).header("X-Signature", HostClient.sign(KEY, timestamp, body))
                .header("X-Signature-Timestamp", Long.toString(timestamp)));
    }

    private static String echo() {
        return "[{\"key\": \"echo\", \"settings\": {\"url\": \"" + target.uri("/hook/secret-path") + "\", \"token\": \""
                + SECRET_TOKEN + "\"}}]";
    }

    /** @return that many echo integrations, each posting to a path of its own */
    private static String echoes(int count) {
        List<String> entries = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            entries.add("{\"key\": \"echo\", \"settings\": {\"url\": \"" + target.uri("/hook/" + i) + "\"}}");
        }
        return "[" + String.join(", ", entries) + "]";
    }

    private static String event(String type, String eventId, String integrations) {
        return """
                {"event_type": "%s", "event_id": %s, "integrations": %s,
                 "payload": {"frontend_url": "https://app.rainforestqa.com/runs/42",
                             "run": {"id": 42, "result": "passed", "environment": {"name": "QA"}}}}
                """.formatted(type, eventId, integrations);
    }

    static jakarta.json.JsonStructure json(String text) {
        return jakarta.json.Json.createReader(new java.io.StringReader(text)).read();
    }
}
