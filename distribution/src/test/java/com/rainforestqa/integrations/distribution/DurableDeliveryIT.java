package com.rainforestqa.integrations.distribution;

import static com.rainforestqa.integrations.distribution.WebhookEvents.awaitCondition;
import static com.rainforestqa.integrations.distribution.WebhookEvents.countingAcceptance;
import static com.rainforestqa.integrations.distribution.WebhookEvents.event;
import static com.rainforestqa.integrations.distribution.WebhookEvents.postAll;
import static com.rainforestqa.integrations.distribution.WebhookEvents.repeated;
import static org.assertj.core.api.Assertions.assertThat;

import com.rainforestqa.integrations.testkit.FakeTarget;
import com.rainforestqa.integrations.testkit.HostClient;
import com.rainforestqa.integrations.testkit.RecordedRequest;
import com.rainforestqa.integrations.testkit.Reply;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durable delivery against the assembled installation, as separate processes on real files: deliveries outlive a
 * target's outage, {@code kill -9} and restarts; secrets never rest in the clear; bad start conditions stop the
 * service with one clear line; a full disk is answered 503. Every installation keeps its store in a directory of its
 * own, and the webhook plugin's {@code webhook-id} header (the event id) tells the fake targets which delivery arrived.
 *
 * <p>Schedules are shortened to seconds, jitter is off and each attempt makes one request
 * ({@code max-attempts: 1}), so attempt counts are exact.
 */
class DurableDeliveryIT {
    private static final String SIGNING_KEY = "durable-delivery-signing-key";
    private static final String TOKEN = "durable-operator-token-7c1e";
    private static final String NO_TOKEN = "";
    private static final SecureRandom RANDOM = new SecureRandom();

    @RegisterExtension
    static final ServiceOutput OUTPUT = new ServiceOutput();

    @TempDir
    static Path temp;

    /** One installation several tests use read-mostly, each with its own target and event ids. */
    private static Path operatedData;
    private static Path operatedConfig;
    private static ServiceProcess operated;
    private static HostClient operatedClient;

    /** A stopped store that holds one queued delivery, copied by each test that damages one. */
    private static Path queuedStore;
    private static String queuedEventId;

    @BeforeAll
    static void startOperatedInstallation() throws Exception {
        operatedData = temp.resolve("operated-data");
        operatedConfig = config("operated", operatedData, TOKEN, schedule(10, "PT1S"));
        operated = start("operated", operatedConfig);
        operated.awaitReady();
        operatedClient = new HostClient(operated.port(), SIGNING_KEY);
    }

    @AfterAll
    static void stopOperatedInstallation() throws InterruptedException {
        if (operated != null) {
            try {
                if (operated.process().isAlive()) {
                    operated.stop();
                }
            } finally {
                operated.close();
            }
        }
    }

    @Test
    void deliveryQueuedDuringAnOutageArrivesAfterItAndShowsEveryAttempt() throws Exception {
        try (FakeTarget target = FakeTarget.start()) {
            AtomicInteger received = new AtomicInteger();
            target.respondWith(request -> received.incrementAndGet() <= 3 ? Reply.status(503, "down for maintenance")
                    : Reply.status(200, "ok"));
            String id = uniqueId("outage");
            Instant posted = Instant.now();

            HostClient.Answer answer = operatedClient.postEvent(event(id, target.uri("/hooks/outage")));

            assertThat(answer.status()).as(answer.body()).isEqualTo(202);
            assertThat(answer.header("Location")).isEqualTo("/deliveries/" + id);
            JsonObject accepted = answer.json().asJsonObject();
            assertThat(accepted.getString("status")).isEqualTo("accepted");
            assertThat(accepted.getString("event_id")).isEqualTo(id);
            assertThat(accepted.getJsonArray("results")).hasSize(1);
            JsonObject result = accepted.getJsonArray("results").getJsonObject(0);
            assertThat(result.getString("key")).isEqualTo("webhook");
            assertThat(result.getString("status")).isEqualTo("queued");
            assertThat(Instant.parse(result.getString("next_attempt_at"))).isAfter(posted);

            JsonObject event = awaitStatus(operated, id, "delivered");

            assertThat(event.getString("event_id")).isEqualTo(id);
            assertThat(event.getString("event_type")).isEqualTo("run_completion");
            assertThat(Instant.parse(event.getString("received_at"))).isBetween(posted.minusSeconds(1), Instant.now());
            JsonObject delivery = event.getJsonArray("deliveries").getJsonObject(0);
            assertThat(event.getJsonArray("deliveries")).hasSize(1);
            assertThat(delivery.getString("key")).isEqualTo("webhook");
            assertThat(delivery.containsKey("next_attempt_at")).as(delivery.toString()).isFalse();
            List<JsonObject> attempts = objects(delivery.getJsonArray("attempts"));
            assertThat(attempts).as(delivery.toString()).hasSize(4);
            assertThat(attempts).extracting(attempt -> attempt.getInt("response_code"))
                    .containsExactly(503, 503, 503, 200);
            assertThat(attempts.subList(0, 3)).allSatisfy(attempt -> {
                assertThat(attempt.getString("error_type")).isEqualTo("delivery_failed");
                assertThat(attempt.getString("error")).contains("503");
            });
            assertThat(attempts.get(3).containsKey("error_type")).as(attempts.get(3).toString()).isFalse();
            assertThat(attempts.get(3).containsKey("error")).as(attempts.get(3).toString()).isFalse();
            // The schedule waits one second after each failed attempt.
            for (int i = 1; i < attempts.size(); i++) {
                assertThat(Duration.between(Instant.parse(attempts.get(i - 1).getString("at")),
                        Instant.parse(attempts.get(i).getString("at")))).as(attempts.toString())
                        .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
            }
            assertThat(target.requests()).hasSize(4)
                    .allSatisfy(request -> assertThat(request.header("webhook-id")).contains(id));
        }
    }

    @Test
    void everyDeliveryQueuedBeforeAKillArrivesExactlyOnceAfterTheRestart() throws Exception {
        Path data = temp.resolve("killed-data");
        // A short lease: the deliveries the killed process was attempting are taken over seconds after the restart.
        Path config = config("killed", data, TOKEN, schedule(5, "PT1S") + ", " + schedule(15, "PT2S"),
                "    lease: PT3S\n");
        try (FakeTarget target = FakeTarget.start()) {
            AtomicBoolean up = new AtomicBoolean();
            Map<String, AtomicInteger> accepted = new ConcurrentHashMap<>();
            target.respondWith(countingAcceptance(up, accepted));
            URI url = target.uri("/hooks/killed");
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                ids.add("killed-" + i + "-" + UUID.randomUUID());
            }

            try (ServiceProcess service = start("killed-first", config)) {
                service.awaitReady();
                HostClient client = new HostClient(service.port(), SIGNING_KEY);
                List<HostClient.Answer> answers = postAll(client, ids, id -> event(id, url));

                assertThat(answers).allSatisfy(answer -> {
                    assertThat(answer.status()).as(answer.body()).isEqualTo(202);
                    JsonObject body = answer.json().asJsonObject();
                    assertThat(answer.header("Location")).isEqualTo("/deliveries/" + body.getString("event_id"));
                    assertThat(body.getJsonArray("results").getJsonObject(0).getString("status")).isEqualTo("queued");
                });
                assertThat(answers).extracting(answer -> answer.json().asJsonObject().getString("event_id"))
                        .containsExactlyElementsOf(ids);
                assertThat(service.kill()).isEqualTo(137);
            }
            assertThat(accepted).as("the target was down until the kill").isEmpty();

            try (ServiceProcess service = start("killed-restarted", config)) {
                service.awaitReady();
                up.set(true);

                awaitCondition(() -> accepted.size() >= ids.size(), "all " + ids.size() + " deliveries to arrive",
                        () -> accepted.size() + " arrived");
                // Longer than the longest wait of the schedule and the lease: a second copy would have come by now.
                Thread.sleep(5_000);

                assertThat(accepted.keySet()).containsExactlyInAnyOrderElementsOf(ids);
                assertThat(repeated(accepted)).as("deliveries that arrived more than once").isEmpty();
                HostClient.Answer queued = api(service, "/deliveries?status=queued&limit=500");
                assertThat(queued.status()).as(queued.body()).isEqualTo(200);
                assertThat(queued.json().asJsonObject().getJsonArray("deliveries")).as(queued.body()).isEmpty();
                HostClient.Answer delivered = api(service, "/deliveries?status=delivered&limit=500");
                assertThat(delivered.json().asJsonObject().getJsonArray("deliveries")).hasSize(ids.size());
            }
        }
    }

    @Test
    void eventResentAfterARestartIsADuplicateAndReachesTheTargetOnce() throws Exception {
        Path config = config("restarted", temp.resolve("restarted-data"), NO_TOKEN, schedule(3, "PT1S"));
        try (FakeTarget target = FakeTarget.start()) {
            String id = uniqueId("resent");
            String body = event(id, target.uri("/hooks/resent"));
            try (ServiceProcess service = start("restarted-first", config)) {
                service.awaitReady();
                HostClient.Answer first = new HostClient(service.port(), SIGNING_KEY).postEvent(body);
                assertThat(first.status()).as(first.body()).isEqualTo(201);
                assertThat(onlyResult(first).getString("status")).isEqualTo("delivered");
                // What status a clean stop exits with is cleanStopLeavesQueuedDeliveriesQueuedAndExitsZero's concern.
                service.stop();
            }

            try (ServiceProcess service = start("restarted-second", config)) {
                service.awaitReady();
                HostClient.Answer again = new HostClient(service.port(), SIGNING_KEY).postEvent(body);

                assertThat(again.status()).as(again.body()).isEqualTo(201);
                assertThat(again.json().asJsonObject().getString("event_id")).isEqualTo(id);
                JsonObject result = onlyResult(again);
                assertThat(result.getString("key")).isEqualTo("webhook");
                assertThat(result.getString("status")).isEqualTo("duplicate");
            }
            assertThat(target.requests()).hasSize(1);
            assertThat(target.onlyRequest().header("webhook-id")).contains(id);
        }
    }

    @Test
    void cleanStopLeavesQueuedDeliveriesQueuedAndExitsZero() throws Exception {
        Path config = config("clean-stop", temp.resolve("clean-stop-data"), TOKEN, schedule(10, "PT1S"));
        try (FakeTarget target = FakeTarget.start()) {
            AtomicBoolean up = new AtomicBoolean();
            Map<String, AtomicInteger> accepted = new ConcurrentHashMap<>();
            target.respondWith(countingAcceptance(up, accepted));
            String id = uniqueId("clean-stop");
            int exitCode;
            try (ServiceProcess service = start("clean-stop-first", config)) {
                service.awaitReady();
                HostClient.Answer answer = new HostClient(service.port(), SIGNING_KEY)
                        .postEvent(event(id, target.uri("/hooks/clean-stop")));
                assertThat(answer.status()).as(answer.body()).isEqualTo(202);
                exitCode = service.stop();
            }

            try (ServiceProcess service = start("clean-stop-second", config)) {
                service.awaitReady();
                up.set(true);
                JsonObject event = awaitStatus(service, id, "delivered");

                assertThat(accepted).containsOnlyKeys(id);
                assertThat(accepted.get(id)).hasValue(1);
                List<JsonObject> attempts = objects(event.getJsonArray("deliveries").getJsonObject(0)
                        .getJsonArray("attempts"));
                assertThat(attempts.getLast().getInt("response_code")).isEqualTo(200);
            }
            // Issue 16: "a clean stop exits 0". 143 is the JVM's own status after SIGTERM (128 + 15), which service
            // managers such as systemd count as a failure unless told otherwise.
            assertThat(exitCode).as("exit status after SIGTERM").isZero();
        }
    }

    @Test
    void secretSettingsNeverRestInTheClear() throws Exception {
        try (FakeTarget target = FakeTarget.start()) {
            AtomicBoolean up = new AtomicBoolean();
            target.respondWith(request -> up.get() ? Reply.status(200, "ok") : Reply.status(503, "down"));
            String secretPath = "/hooks/path-token-" + randomToken();
            String signingSecret = "whsec_" + Base64.getEncoder().encodeToString(randomBytes(24));
            String id = uniqueId("sealed");
            String settings = "{\"url\":\"" + target.uri(secretPath) + "\",\"secret\":\"" + signingSecret + "\"}";
            List<String> secrets = List.of(secretPath.substring("/hooks/".length()), signingSecret,
                    signingSecret.substring("whsec_".length()));

            HostClient.Answer answer = operatedClient.postEvent(event(id, settings));

            assertThat(answer.status()).as(answer.body()).isEqualTo(202);
            // The grep does read the store: the event id, which is not secret, is found in it.
            assertThat(filesHolding(operatedData, List.of(id))).isNotEmpty();
            assertThat(filesHolding(operatedData, secrets)).as("files holding a secret while queued").isEmpty();

            up.set(true);
            awaitStatus(operated, id, "delivered");

            assertThat(filesHolding(operatedData, secrets)).as("files holding a secret after delivery").isEmpty();
            RecordedRequest delivered = target.requests().getLast();
            assertThat(delivered.path()).isEqualTo(secretPath);
            assertThat(delivered.header("webhook-signature")).isPresent();
        }
    }

    @Test
    void deliveryApiAnswers401WithoutTheRightBearerToken() {
        HostClient operator = new HostClient(operated.adminPort(), SIGNING_KEY);
        HostClient.Answer missing = operator.send(operator.request("/deliveries").GET());
        HostClient.Answer wrong = operator.send(operator.request("/deliveries/some-event")
                .header("Authorization", "Bearer " + TOKEN + "-wrong").GET());
        HostClient.Answer retry = operator.send(operator.request("/deliveries/some-event/webhook/retry")
                .POST(HttpRequest.BodyPublishers.noBody()));

        assertThat(List.of(missing, wrong, retry)).allSatisfy(answer -> {
            assertThat(answer.status()).as(answer.body()).isEqualTo(401);
            assertThat(answer.header("WWW-Authenticate")).isEqualTo("Bearer");
            assertThat(answer.json().asJsonObject().getString("type")).isEqualTo("unauthorized");
        });
        assertThat(missing.json().asJsonObject().getString("error")).contains("missing");
        assertThat(wrong.json().asJsonObject().getString("error")).contains("wrong");
    }

    @Test
    void deliveryApiAnswers403WhenNoTokenIsConfigured() throws Exception {
        Path config = config("no-token", temp.resolve("no-token-data"), NO_TOKEN, schedule(1, "PT1S"));
        try (ServiceProcess service = start("no-token", config)) {
            service.awaitReady();
            HostClient operator = new HostClient(service.adminPort(), SIGNING_KEY);

            HostClient.Answer withoutHeader = operator.send(operator.request("/deliveries").GET());
            HostClient.Answer withSomeToken = api(service, "/deliveries/some-event");

            assertThat(List.of(withoutHeader, withSomeToken)).allSatisfy(answer -> {
                assertThat(answer.status()).as(answer.body()).isEqualTo(403);
                JsonObject body = answer.json().asJsonObject();
                assertThat(body.getString("type")).isEqualTo("forbidden");
                assertThat(body.getString("error")).contains("integrations.admin.token");
            });
        }
    }

    @Test
    void dataDirectoryThatCannotBeCreatedStopsTheStart() throws Exception {
        // Root writes through permission bits, so the directory is made impossible instead: its parent is a file.
        Path file = Files.writeString(temp.resolve("a-file"), "not a directory");
        Path data = file.resolve("data");
        try (ServiceProcess service = start("uncreatable", config("uncreatable", data, TOKEN, schedule(1, "PT1S")))) {
            String reason = startRefusal(service);

            assertThat(reason).contains(data.toString()).contains("integrations.store.dir");
            assertNoStackTrace(service);
        }
    }

    @Test
    void dataDirectoryOnAReadOnlyFileSystemStopsTheStart() throws Exception {
        Path data = Files.createDirectory(temp.resolve("read-only-data"));
        try (Tmpfs readOnly = Tmpfs.mount(data, "size=1m,ro")) {
            Path config = config("read-only", readOnly.path(), TOKEN, schedule(1, "PT1S"));
            try (ServiceProcess service = start("read-only", config)) {
                String reason = startRefusal(service);

                assertThat(reason).contains(data.toString()).contains("not writable");
                assertNoStackTrace(service);
            }
        }
    }

    @Test
    void secondInstallationOnTheSameStoreRefusesToStartAndTheFirstKeepsServing() throws Exception {
        try (ServiceProcess second = start("second-on-store", operatedConfig)) {
            String reason = startRefusal(second);

            assertThat(reason).contains(operatedData.toString()).contains("in use by another process");
            assertNoStackTrace(second);
        }
        try (FakeTarget target = FakeTarget.start()) {
            String id = uniqueId("still-serving");
            HostClient.Answer answer = operatedClient.postEvent(event(id, target.uri("/hooks/still-serving")));

            assertThat(answer.status()).as(answer.body()).isEqualTo(201);
            assertThat(onlyResult(answer).getString("status")).isEqualTo("delivered");
            assertThat(api(operated, "/deliveries/" + id).status()).isEqualTo(200);
        }
    }

    @Test
    void damagedStoreStopsTheStart() throws Exception {
        Path data = copyOfQueuedStore("damaged");
        // After a clean stop the script holds the schema and what the database needs to open its data file.
        Path damaged = data.resolve("store").resolve("deliveries.script");
        assertThat(damaged).isRegularFile();
        Files.write(damaged, randomBytes((int) Files.size(damaged)));

        try (ServiceProcess service = start("damaged", config("damaged", data, TOKEN, schedule(1, "PT1H")))) {
            String reason = startRefusal(service);

            assertThat(reason).contains("store").contains(data.toString());
            assertNoStackTrace(service);
        }
    }

    @Test
    void missingKeyFileStopsTheStartAndTheQueuedDeliveryWaitsForIt() throws Exception {
        Path data = copyOfQueuedStore("keyless");
        Path keyFile = data.resolve("store.key");
        Files.delete(keyFile);
        Path config = config("keyless", data, TOKEN, schedule(1, "PT1H"));

        try (ServiceProcess service = start("keyless", config)) {
            String reason = startRefusal(service);

            assertThat(reason).contains(keyFile.toString()).contains("missing");
            assertNoStackTrace(service);
        }
        Files.copy(queuedStore.resolve("store.key"), keyFile, StandardCopyOption.COPY_ATTRIBUTES);
        try (ServiceProcess service = start("keyless-restored", config)) {
            service.awaitReady();
            JsonObject event = eventView(service, queuedEventId);
            assertThat(event.getJsonArray("deliveries").getJsonObject(0).getString("status")).isEqualTo("queued");
        }
    }

    @Test
    void wrongEncryptionKeyStopsTheStart() throws Exception {
        Path data = copyOfQueuedStore("wrong-key");
        String otherKey = Base64.getEncoder().encodeToString(randomBytes(32));
        Path config = config("wrong-key", data, TOKEN, schedule(1, "PT1H"),
                "    encryption-key: \"" + otherKey + "\"\n");

        try (ServiceProcess service = start("wrong-key", config)) {
            String reason = startRefusal(service);

            assertThat(reason).contains("encryption key").contains("not the key the store was created with");
            assertNoStackTrace(service);
        }
    }

    /**
     * A full disk is answered 503 with {@code Retry-After}, never 500, and every event answered as delivered while
     * the disk filled up is on disk: after a crash and a restart it is a duplicate. Soft assertions, so one run shows
     * every way the service falls short.
     */
    @Test
    void fullDiskIsAnswered503AndEveryAnsweredEventIsKept() throws Exception {
        Path data = Files.createDirectory(temp.resolve("full-disk-data"));
        SoftAssertions softly = new SoftAssertions();
        try (Tmpfs disk = Tmpfs.mount(data, "size=4m");
             FakeTarget target = FakeTarget.start()) {
            // The 4 MiB disk holds the store with room to spare; the service keeps 1 MiB of it free.
            Path config = config("full-disk", data, TOKEN, schedule(3, "PT1S"), "    min-free-space: 1048576\n");
            URI url = target.uri("/hooks/full-disk");
            List<String> answeredDelivered = new ArrayList<>();
            Optional<String> refused = Optional.empty();
            try (ServiceProcess service = start("full-disk", config)) {
                service.awaitReady();
                HostClient client = new HostClient(service.port(), SIGNING_KEY);
                String before = uniqueId("before-full");
                HostClient.Answer first = client.postEvent(event(before, url));
                assertThat(first.status()).as(first.body()).isEqualTo(201);
                answeredDelivered.add(before);
                Path filler = disk.fill("filler");

                // Each event adds a few hundred bytes of records: 40 of them need more than the part of a page the
                // store's files may still have room in, so a disk that stays full must be noticed within them.
                Map<Integer, Integer> statuses = new TreeMap<>();
                for (int i = 0; i < 40 && refused.isEmpty(); i++) {
                    String id = uniqueId("while-full-" + i);
                    HostClient.Answer answer = client.postEvent(event(id, url));
                    statuses.merge(answer.status(), 1, Integer::sum);
                    if (answer.status() == 201) {
                        answeredDelivered.add(id);
                    } else if (answer.status() == 503) {
                        refused = Optional.of(id);
                        softly.assertThat(answer.header("Retry-After")).as("Retry-After").matches("[1-9][0-9]*");
                        JsonObject body = answer.json().asJsonObject();
                        softly.assertThat(body.getString("type", null)).as(answer.body()).isEqualTo("store_unavailable");
                        softly.assertThat(body.getString("event_id", null)).as("every answer names the event_id: "
                                + answer.body()).isEqualTo(id);
                    } else {
                        softly.fail("an event on a full disk was answered " + answer.status() + ": " + answer.body());
                        break;
                    }
                }
                softly.assertThat(refused).as("a 503 within 40 events on a full disk; the answers by status: "
                        + statuses).isPresent();

                Files.delete(filler);
                String after = uniqueId("after-full");
                HostClient.Answer recovered = client.postEvent(event(after, url));
                softly.assertThat(recovered.status()).as("once there is room again: " + recovered.body())
                        .isEqualTo(201);
                if (recovered.status() == 201) {
                    answeredDelivered.add(after);
                }
                // A crash at once: what was answered delivered must already be on disk.
                assertThat(service.kill()).isEqualTo(137);
            }

            try (ServiceProcess service = start("full-disk-restarted", config)) {
                service.awaitReady();
                HostClient client = new HostClient(service.port(), SIGNING_KEY);
                List<String> deliveredAgain = new ArrayList<>();
                for (String id : answeredDelivered) {
                    HostClient.Answer answer = client.postEvent(event(id, url));
                    if (answer.status() != 201 || !onlyResult(answer).getString("status").equals("duplicate")) {
                        deliveredAgain.add(id + " (" + answer.status() + " " + (answer.status() == 201
                                ? onlyResult(answer).getString("status") : answer.body()) + ")");
                    }
                }
                softly.assertThat(deliveredAgain).as("of %d events answered 201 before the crash (the disk full after "
                        + "the first), these were not known as delivered after the restart", answeredDelivered.size())
                        .isEmpty();
                // Nothing half-written: the refused event was not recorded, so it is delivered when sent again.
                if (refused.isPresent()) {
                    HostClient.Answer again = client.postEvent(event(refused.get(), url));
                    softly.assertThat(again.status()).as(again.body()).isEqualTo(201);
                    softly.assertThat(again.status() == 201 ? onlyResult(again).getString("status") : "")
                            .as(again.body()).isEqualTo("delivered");
                }
            }
        }
        softly.assertAll();
    }

    // ---- the installation ----

    private static ServiceProcess start(String name, Path config) {
        Map<String, String> environment = new HashMap<>();
        environment.put("INTEGRATIONS_SIGNING_KEY", SIGNING_KEY);
        environment.put("INTEGRATIONS_CONFIG_FILE", config.toString());
        // The token comes from each test's configuration alone.
        environment.put("INTEGRATIONS_ADMIN_TOKEN", null);
        return OUTPUT.watch(ServiceProcess.start(Installation.script(), temp, environment,
                Installation.logsDirectory().resolve("DurableDeliveryIT-" + name + ".log")));
    }

    /**
     * Writes a configuration: loopback targets allowed, one request per attempt, no jitter.
     *
     * @param storeLines more lines under {@code integrations.store}, indented by four spaces
     */
    private static Path config(String name, Path storeDir, String token, String retrySchedule, String... storeLines)
            throws IOException {
        String yaml = """
                integrations:
                  admin:
                    token: "%s"
                  outbound:
                    allow-private-addresses: true
                  delivery:
                    inline-deadline: PT5S
                    max-attempts: 1
                    retry-jitter: 0
                    retry-schedule: [%s]
                  store:
                    dir: "%s"
                """.formatted(token, retrySchedule, storeDir) + String.join("", storeLines);
        return Files.writeString(temp.resolve(name + ".yaml"), yaml);
    }

    private static String schedule(int times, String wait) {
        return String.join(", ", Collections.nCopies(times, wait));
    }

    /**
     * Waits for a process that should refuse to start, and returns its reason.
     *
     * @return what follows {@code Cannot start: } on the one line that says it
     */
    private static String startRefusal(ServiceProcess service) throws InterruptedException {
        int exitCode = service.awaitExit();
        assertThat(exitCode).as(service.output()).isEqualTo(1);
        List<String> reasons = service.output().lines().filter(line -> line.contains("Cannot start: ")).toList();
        assertThat(reasons).as(service.output()).hasSize(1);
        String line = reasons.getFirst();
        return line.substring(line.indexOf("Cannot start: ") + "Cannot start: ".length());
    }

    /** The reason is one line; a library's stack trace above it buries it for the operator who reads the log. */
    private static void assertNoStackTrace(ServiceProcess service) {
        assertThat(service.output().lines().filter(line -> line.startsWith("\tat ") || line.startsWith("Caused by: ")))
                .as("stack trace lines in the output of a refused start:\n" + service.output())
                .isEmpty();
    }

    /** The stopped store with one queued delivery, made once per run, and a copy of it for one test. */
    private static Path copyOfQueuedStore(String name) throws Exception {
        if (queuedStore == null) {
            Path data = temp.resolve("queued-template-data");
            Path config = config("queued-template", data, TOKEN, schedule(1, "PT1H"));
            try (FakeTarget target = FakeTarget.start();
                 ServiceProcess service = start("queued-template", config)) {
                target.setDefaultReply(Reply.status(503, "down"));
                service.awaitReady();
                String id = uniqueId("queued-template");
                HostClient.Answer answer = new HostClient(service.port(), SIGNING_KEY)
                        .postEvent(event(id, target.uri("/hooks/queued")));
                assertThat(answer.status()).as(answer.body()).isEqualTo(202);
                service.stop();
                queuedEventId = id;
            }
            queuedStore = data;
        }
        Path copy = temp.resolve(name + "-data");
        try (Stream<Path> files = Files.walk(queuedStore)) {
            for (Path source : files.toList()) {
                Files.copy(source, copy.resolve(queuedStore.relativize(source).toString()),
                        StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        return copy;
    }

    // ---- events and the delivery API ----

    private static JsonObject onlyResult(HostClient.Answer answer) {
        JsonArray results = answer.json().asJsonObject().getJsonArray("results");
        assertThat(results).as(answer.body()).hasSize(1);
        return results.getJsonObject(0);
    }

    /** A {@code GET} of the service's operators' socket, with the token. */
    private static HostClient.Answer api(ServiceProcess service, String path) {
        return WebhookEvents.operatorGet(service, path, TOKEN);
    }

    private static JsonObject eventView(ServiceProcess service, String eventId) {
        HostClient.Answer answer = api(service, "/deliveries/" + eventId);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json().asJsonObject();
    }

    /** Polls {@code GET /deliveries/{id}} until its one delivery has the status, for at most {@link WebhookEvents#DELIVERY_WAIT}. */
    private static JsonObject awaitStatus(ServiceProcess service, String eventId, String status)
            throws InterruptedException {
        JsonObject[] last = new JsonObject[1];
        awaitCondition(() -> {
            last[0] = eventView(service, eventId);
            return last[0].getJsonArray("deliveries").getJsonObject(0).getString("status").equals(status);
        }, "the delivery of " + eventId + " to be " + status, () -> String.valueOf(last[0]));
        return last[0];
    }

    private static List<JsonObject> objects(JsonArray array) {
        return array.stream().map(JsonValue::asJsonObject).toList();
    }

    // ---- the files ----

    /**
     * The files under a directory whose bytes hold one of the values: as UTF-8, as hex (how a SQL script writes
     * binary columns) or as base64.
     *
     * @return one entry per file and value found, naming both
     */
    private static List<String> filesHolding(Path directory, List<String> values) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                byte[] content;
                try {
                    content = Files.readAllBytes(file);
                } catch (NoSuchFileException e) {
                    // A temporary file of the database, gone between the listing and the read.
                    continue;
                }
                for (String value : values) {
                    byte[] plain = value.getBytes(StandardCharsets.UTF_8);
                    for (String form : Set.of(value, HexFormat.of().formatHex(plain),
                            HexFormat.of().withUpperCase().formatHex(plain),
                            Base64.getEncoder().encodeToString(plain))) {
                        if (indexOf(content, form.getBytes(StandardCharsets.UTF_8)) >= 0) {
                            found.add(directory.relativize(file) + " holds " + form);
                        }
                    }
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return found;
    }

    private static int indexOf(byte[] content, byte[] value) {
        outer:
        for (int i = 0; i <= content.length - value.length; i++) {
            for (int j = 0; j < value.length; j++) {
                if (content[i + j] != value[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    // ---- ids and secrets ----

    private static String uniqueId(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    private static String randomToken() {
        return HexFormat.of().formatHex(randomBytes(16)).toLowerCase(Locale.ROOT);
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
