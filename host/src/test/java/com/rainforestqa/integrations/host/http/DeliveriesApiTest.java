package com.rainforestqa.integrations.host.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.rainforestqa.integrations.host.IntegrationsHost;
import com.rainforestqa.integrations.host.config.HostConfig;
import com.rainforestqa.integrations.host.testing.TestPlugins;
import com.rainforestqa.integrations.host.testing.TestServer;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Durable delivery over real HTTP: the 202 answer, the background attempts of the retry schedule, the delivery API
 * and its token. The schedule is shortened to fractions of a second; each test uses its own target paths.
 */
@ServerTest
class DeliveriesApiTest {
    private static final String KEY = "deliveries-signing-key";
    private static final String TOKEN = "operator-token-3f9a";

    private static FakeTarget target;
    private static IntegrationsHost host;

    private final HostClient api;
    private final HostClient admin;

    DeliveriesApiTest(WebServer server) {
        this.api = new HostClient(server.port(), KEY);
        this.admin = new HostClient(TestServer.adminPort(server), KEY);
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) throws IOException {
        target = FakeTarget.start();
        Path home = Files.createTempDirectory("integrations-home");
        TestPlugins.echo(home.resolve("plugins").resolve("echo.jar"));
        host = IntegrationsHost.create(HostConfig.fromYaml("""
                integrations:
                  signing-key: %s
                  admin:
                    token: %s
                  delivery:
                    inline-deadline: PT2S
                    max-attempts: 1
                    retry-schedule: [PT0.3S, PT0.3S]
                    retry-jitter: 0
                  outbound:
                    allow-private-addresses: true
                """.formatted(KEY, TOKEN)), home);
        TestServer.serve(server, host);
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
    void transientFailureIsQueuedThenDeliveredWithEveryAttemptShown() throws InterruptedException {
        String id = "queued-" + UUID.randomUUID();
        AtomicInteger calls = new AtomicInteger();
        target.respondWith(request -> request.path().equals("/first-busy") && calls.incrementAndGet() == 1
                ? Reply.status(503, "busy") : Reply.status(200));

        HostClient.Answer answer = api.postEvent(event(id, echo("/first-busy")));

        assertThat(answer.status()).isEqualTo(202);
        assertThat(answer.header("Location")).isEqualTo("/deliveries/" + id);
        JsonObject body = answer.json().asJsonObject();
        assertThat(body.getString("status")).isEqualTo("accepted");
        assertThat(body.getString("event_id")).isEqualTo(id);
        JsonObject result = body.getJsonArray("results").getJsonObject(0);
        assertThat(result.getString("status")).isEqualTo("queued");
        assertThat(result.getString("type")).isEqualTo("delivery_failed");
        assertThat(result.getInt("failed_response_code")).isEqualTo(503);
        assertThat(Instant.parse(result.getString("next_attempt_at"))).isAfter(Instant.now().minusSeconds(5));

        JsonObject delivery = awaitDelivery(id, "delivered");
        JsonArray attempts = delivery.getJsonArray("attempts");
        assertThat(attempts).hasSize(2);
        assertThat(attempts.getJsonObject(0).getInt("response_code")).isEqualTo(503);
        assertThat(attempts.getJsonObject(0).getString("error_type")).isEqualTo("delivery_failed");
        assertThat(attempts.getJsonObject(1).getInt("response_code")).isEqualTo(200);
        assertThat(attempts.getJsonObject(1).containsKey("error")).isFalse();
        assertThat(delivery.containsKey("next_attempt_at")).isFalse();
        assertThat(sentTo("/first-busy")).hasSize(2)
                .extracting(request -> request.json().getString("event_id")).containsOnly(id);
    }

    @Test
    void aPermanentFailureIsA400ThatStillNamesTheQueuedOne() {
        String id = "mixed-" + UUID.randomUUID();
        target.respondWith(request -> request.path().equals("/gone") ? Reply.status(404, "no such hook")
                : Reply.status(503, "busy"));

        HostClient.Answer answer = api.postEvent(event(id, "[" + entry("/gone") + ", " + entry("/busy") + "]"));

        assertThat(answer.status()).isEqualTo(400);
        JsonObject body = answer.json().asJsonObject();
        assertThat(body.getString("type")).isEqualTo("user_configuration_error");
        assertThat(body.getString("event_id")).isEqualTo(id);
        assertThat(body.getJsonArray("results")).extracting(value -> value.asJsonObject().getString("status"))
                .containsExactly("failed", "queued");
    }

    @Test
    void anExhaustedDeliveryIsQueuedAgainByTheRetryEndpoint() throws InterruptedException {
        String id = "exhausted-" + UUID.randomUUID();
        target.setDefaultReply(Reply.status(503, "down"));

        assertThat(api.postEvent(event(id, echo("/down"))).status()).isEqualTo(202);
        JsonObject exhausted = awaitDelivery(id, "exhausted");
        // One inline attempt, then one for each of the schedule's two waits.
        assertThat(exhausted.getJsonArray("attempts")).hasSize(3);

        target.setDefaultReply(Reply.status(200));
        HostClient.Answer retry = admin.send(admin.request("/deliveries/" + id + "/echo/retry")
                .header("Authorization", "Bearer " + TOKEN).POST(java.net.http.HttpRequest.BodyPublishers.noBody()));

        assertThat(retry.status()).isEqualTo(202);
        assertThat(awaitDelivery(id, "delivered").getJsonArray("attempts")).hasSize(4);
        assertThat(sentTo("/down")).hasSize(4);
    }

    @Test
    void retryingADeliveredDeliveryIsAConflictAndAnUnknownOneIsNotFound() throws InterruptedException {
        String id = "done-" + UUID.randomUUID();
        target.setDefaultReply(Reply.status(200));
        assertThat(api.postEvent(event(id, echo("/ok"))).status()).isEqualTo(201);

        assertThat(operator(retry(id, "echo")).status()).isEqualTo(409);
        assertThat(operator(retry(id, "slack")).status()).isEqualTo(404);
        assertThat(operator(retry("no-such-event", "echo")).status()).isEqualTo(404);
    }

    @Test
    void repeatOfAQueuedEventIsAnsweredQueuedAndSendsNothingNew() {
        String id = "repeat-queued-" + UUID.randomUUID();
        target.setDefaultReply(Reply.status(503, "down"));
        assertThat(api.postEvent(event(id, echo("/down-again"))).status()).isEqualTo(202);

        HostClient.Answer repeat = api.postEvent(event(id, echo("/down-again")));

        assertThat(repeat.status()).isEqualTo(202);
        JsonObject result = repeat.json().asJsonObject().getJsonArray("results").getJsonObject(0);
        assertThat(result.getString("status")).isEqualTo("queued");
        assertThat(result.getString("error")).isEqualTo("queued by an earlier copy of this event");
    }

    @Test
    void listShowsDeliveriesNewestFirstAndFiltersByStatusAndIntegration() {
        target.setDefaultReply(Reply.status(200));
        String first = "list-a-" + UUID.randomUUID();
        String second = "list-b-" + UUID.randomUUID();
        api.postEvent(event(first, echo("/list")));
        api.postEvent(event(second, echo("/list")));

        HostClient.Answer page = operator(admin.request("/deliveries?status=delivered&integration=echo&limit=50")
                .GET());
        HostClient.Answer one = operator(admin.request("/deliveries?status=delivered&limit=1").GET());

        assertThat(page.status()).isEqualTo(200);
        JsonArray deliveries = page.json().asJsonObject().getJsonArray("deliveries");
        // Other tests' queued deliveries may become delivered meanwhile: only the order of these two is certain.
        assertThat(deliveries).extracting(value -> value.asJsonObject().getString("event_id"))
                .containsSubsequence(second, first);
        assertThat(deliveries).allSatisfy(value -> assertThat(value.asJsonObject().getString("status"))
                .isEqualTo("delivered"));
        assertThat(one.json().asJsonObject().getJsonArray("deliveries")).hasSize(1);
        assertThat(one.json().asJsonObject().getString("next_before")).isNotBlank();
        assertThat(operator(admin.request("/deliveries?status=lost").GET()).status()).isEqualTo(400);
        assertThat(operator(admin.request("/deliveries?limit=0").GET()).status()).isEqualTo(400);
        assertThat(operator(admin.request("/deliveries?before=yesterday").GET()).status()).isEqualTo(400);
    }

    @Test
    void theDeliveryApiNeedsTheBearerToken() {
        target.setDefaultReply(Reply.status(200));
        String id = "auth-" + UUID.randomUUID();
        api.postEvent(event(id, echo("/auth")));

        HostClient.Answer missing = admin.get("/deliveries/" + id);
        HostClient.Answer wrong = admin.send(admin.request("/deliveries/" + id).header("Authorization", "Bearer nope")
                .GET());

        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.json().asJsonObject().getString("type")).isEqualTo("unauthorized");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.body()).doesNotContain(id);
        assertThat(operator(admin.request("/deliveries/" + id).GET()).status()).isEqualTo(200);
        assertThat(operator(admin.request("/deliveries/unknown-event").GET()).status()).isEqualTo(404);
    }

    @Test
    void theDeliveryApiIsNotOnThePublicPort() {
        HostClient.Answer list = api.send(api.request("/deliveries").header("Authorization", "Bearer " + TOKEN).GET());
        HostClient.Answer retry = api.send(api.request("/deliveries/some-event/echo/retry")
                .header("Authorization", "Bearer " + TOKEN).POST(java.net.http.HttpRequest.BodyPublishers.noBody()));

        assertThat(list.status()).isEqualTo(404);
        assertThat(list.json().asJsonObject().getString("type")).isEqualTo("not_found");
        assertThat(retry.status()).isEqualTo(404);
    }

    /** What reached one path: the queued deliveries of other tests may reach the target at any time. */
    private static List<RecordedRequest> sentTo(String path) {
        return target.requests().stream().filter(request -> request.path().equals(path)).toList();
    }

    private java.net.http.HttpRequest.Builder retry(String id, String key) {
        return admin.request("/deliveries/" + id + "/" + key + "/retry")
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody());
    }

    private HostClient.Answer operator(java.net.http.HttpRequest.Builder request) {
        return admin.send(request.header("Authorization", "Bearer " + TOKEN));
    }

    /** Polls the delivery API until the event's only delivery has the status, for at most ten seconds. */
    private JsonObject awaitDelivery(String id, String status) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(10);
        JsonObject last = null;
        while (Instant.now().isBefore(deadline)) {
            HostClient.Answer answer = operator(admin.request("/deliveries/" + id).GET());
            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            last = answer.json().asJsonObject().getJsonArray("deliveries").getJsonObject(0);
            if (last.getString("status").equals(status)) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the delivery of " + id + " did not become " + status + "; last: " + last);
    }

    private static String event(String id, String integrations) {
        return """
                {"event_type": "run_completion", "event_id": "%s", "integrations": %s,
                 "payload": {"frontend_url": "https://app.rainforestqa.com/runs/42", "run": {"id": 42}}}
                """.formatted(id, integrations);
    }

    private static String echo(String path) {
        return "[" + entry(path) + "]";
    }

    private static String entry(String path) {
        return "{\"key\": \"echo\", \"settings\": {\"url\": \"" + target.uri(path) + "\"}}";
    }
}
