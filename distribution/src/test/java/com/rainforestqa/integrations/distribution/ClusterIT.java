package com.rainforestqa.integrations.distribution;

import static com.rainforestqa.integrations.distribution.WebhookEvents.awaitCondition;
import static com.rainforestqa.integrations.distribution.WebhookEvents.countingAcceptance;
import static com.rainforestqa.integrations.distribution.WebhookEvents.event;
import static com.rainforestqa.integrations.distribution.WebhookEvents.postAll;
import static com.rainforestqa.integrations.distribution.WebhookEvents.repeated;

import static org.assertj.core.api.Assertions.assertThat;

import com.rainforestqa.integrations.distribution.WebhookEvents.SteadyLoad;
import com.rainforestqa.integrations.host.testing.PostgresServer;
import com.rainforestqa.integrations.testkit.FakeTarget;
import com.rainforestqa.integrations.testkit.HostClient;
import com.rainforestqa.integrations.testkit.Reply;

import jakarta.json.JsonObject;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several installations on one real PostgreSQL server, as separate processes: they deliver an event posted to both
 * once, finish the deliveries of an instance killed with {@code kill -9}, create one schema when they start at once
 * on an empty database, and ride out a restart of the database without a 500 or a lost event.
 *
 * <p>Each test has a database of its own. The database password reaches the services through the environment
 * ({@code INTEGRATIONS_STORE_PASSWORD}), as an operator would pass it.
 */
class ClusterIT {
    private static final String SIGNING_KEY = "cluster-signing-key";
    private static final String TOKEN = "cluster-operator-token-51d0";
    private static final String ENCRYPTION_KEY = Base64.getEncoder().encodeToString(
            "cluster-encryption-key-32-bytes!".getBytes());
    private static final AtomicInteger DATABASES = new AtomicInteger();

    @RegisterExtension
    static final ServiceOutput OUTPUT = new ServiceOutput();

    @TempDir
    static Path temp;

    private static PostgresServer postgres;

    @BeforeAll
    static void startPostgres() {
        postgres = PostgresServer.start();
    }

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void everyEventPostedToTwoInstancesAtOnceReachesTheTargetOnce() throws Exception {
        Path config = config("twice", postgres.createDatabase("twice"), "PT1S");
        try (FakeTarget target = FakeTarget.start();
             ServiceProcess one = start("twice-one", config);
             ServiceProcess two = start("twice-two", config);
             ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            AtomicBoolean up = new AtomicBoolean(true);
            Map<String, AtomicInteger> accepted = new ConcurrentHashMap<>();
            target.respondWith(countingAcceptance(up, accepted));
            one.awaitReady();
            two.awaitReady();
            List<HostClient> instances = List.of(new HostClient(one.port(), SIGNING_KEY),
                    new HostClient(two.port(), SIGNING_KEY));
            URI url = target.uri("/hooks/twice");
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                ids.add("twice-" + i + "-" + UUID.randomUUID());
            }
            // 32 events in flight at a time, each posted to both instances at the same moment.
            Semaphore inFlight = new Semaphore(32);
            List<Future<List<HostClient.Answer>>> pairs = new ArrayList<>();
            for (String id : ids) {
                inFlight.acquire();
                pairs.add(callers.submit(() -> {
                    try {
                        Future<HostClient.Answer> first = callers.submit(() -> instances.get(0)
                                .postEvent(event(id, url)));
                        HostClient.Answer second = instances.get(1).postEvent(event(id, url));
                        return List.of(first.get(), second);
                    } finally {
                        inFlight.release();
                    }
                }));
            }
            Map<String, Integer> outcomes = new TreeMap<>();
            for (Future<List<HostClient.Answer>> pair : pairs) {
                List<HostClient.Answer> answers = pair.get(120, TimeUnit.SECONDS);
                for (HostClient.Answer answer : answers) {
                    assertThat(answer.status()).as(answer.body()).isEqualTo(201);
                }
                String statuses = answers.stream().map(answer -> onlyResult(answer).getString("status")).sorted()
                        .collect(Collectors.joining("+"));
                outcomes.merge(statuses, 1, Integer::sum);
            }

            assertThat(outcomes).as("the outcomes of the pairs").containsExactly(Map.entry("delivered+duplicate",
                    ids.size()));
            assertThat(accepted.keySet()).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(repeated(accepted)).as("events that reached the target more than once").isEmpty();
            // Either instance answers for the whole cluster.
            assertThat(deliveryStatus(two, ids.getFirst())).isEqualTo("delivered");
            assertThat(deliveryStatus(one, ids.getLast())).isEqualTo("delivered");
        }
    }

    @Test
    void deliveriesQueuedByAKilledInstanceAreMadeByTheOtherOnce() throws Exception {
        Path config = config("takeover", postgres.createDatabase("takeover"), "PT1S, PT1S, PT2S, PT2S, PT2S, PT2S, "
                + "PT2S, PT2S, PT2S, PT2S, PT2S, PT2S, PT2S, PT2S, PT2S, PT2S, PT2S, PT2S, PT2S, PT2S");
        try (FakeTarget target = FakeTarget.start();
             ServiceProcess doomed = start("takeover-killed", config);
             ServiceProcess survivor = start("takeover-survivor", config)) {
            AtomicBoolean up = new AtomicBoolean();
            Map<String, AtomicInteger> accepted = new ConcurrentHashMap<>();
            // A target that is down answers slowly, so the killed instance dies in the middle of attempts too. What
            // it answers is settled when a request arrives: a request of the dead instance is never accepted.
            target.respondWith(request -> {
                if (up.get()) {
                    return countingAcceptance(up, accepted).apply(request);
                }
                sleep(Duration.ofMillis(500));
                return Reply.status(503, "down");
            });
            doomed.awaitReady();
            survivor.awaitReady();
            URI url = target.uri("/hooks/takeover");
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                ids.add("takeover-" + i + "-" + UUID.randomUUID());
            }

            List<HostClient.Answer> answers = postAll(new HostClient(doomed.port(), SIGNING_KEY), ids,
                    id -> event(id, url), 32);

            assertThat(answers).allSatisfy(answer -> assertThat(answer.status()).as(answer.body()).isEqualTo(202));
            assertThat(doomed.kill()).isEqualTo(137);
            Instant killed = Instant.now();
            up.set(true);

            awaitCondition(() -> accepted.size() >= ids.size(), "all " + ids.size() + " deliveries to arrive",
                    () -> accepted.size() + " arrived");
            Duration took = Duration.between(killed, Instant.now());
            // Longer than the lease and the schedule's longest wait: a second copy would have come by now.
            Thread.sleep(5_000);

            assertThat(accepted.keySet()).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(repeated(accepted)).as("deliveries that arrived more than once").isEmpty();
            assertThat(took).as("lease (5 s) + claim (deadline 5 s + 10 s) + schedule").isLessThan(
                    Duration.ofSeconds(60));
            HostClient.Answer queued = api(survivor, "/deliveries?status=queued&limit=500");
            assertThat(queued.json().asJsonObject().getJsonArray("deliveries")).as(queued.body()).isEmpty();
            HostClient.Answer delivered = api(survivor, "/deliveries?status=delivered&limit=500");
            assertThat(delivered.json().asJsonObject().getJsonArray("deliveries")).hasSize(ids.size());
        }
    }

    @Test
    void threeInstancesStartingAtOnceOnAnEmptyDatabaseMakeOneSchemaWithoutErrors() throws Exception {
        String url = postgres.createDatabase("three");
        Path config = config("three", url, "PT1S");
        List<ServiceProcess> instances = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                instances.add(start("three-" + i, config));
            }
            for (ServiceProcess instance : instances) {
                instance.awaitReady();
            }
            try (FakeTarget target = FakeTarget.start()) {
                for (ServiceProcess instance : instances) {
                    HostClient.Answer answer = new HostClient(instance.port(), SIGNING_KEY)
                            .postEvent(event("three-" + instance.port(), target.uri("/hooks/three")));
                    assertThat(answer.status()).as(answer.body()).isEqualTo(201);
                }
                assertThat(target.requests()).hasSize(3);
            }
            for (ServiceProcess instance : instances) {
                assertThat(instance.output().lines().filter(line -> line.contains("SEVERE") || line.contains("ERROR")
                        || line.contains("Exception"))).as(instance.output()).isEmpty();
            }
        } finally {
            instances.forEach(ServiceProcess::close);
        }
        try (Connection connection = DriverManager.getConnection(url, PostgresServer.USER, PostgresServer.PASSWORD);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM flyway_schema_history WHERE success")) {
            rows.next();
            assertThat(rows.getInt(1)).as("migrations applied").isEqualTo(1);
        }
    }

    @Test
    void aDatabaseRestartUnderLoadIsAnswered503AndLosesNothing() throws Exception {
        Path config = config("restart", postgres.createDatabase("restart"), "PT1S");
        try (FakeTarget target = FakeTarget.start();
             ServiceProcess service = start("restart", config)) {
            AtomicBoolean up = new AtomicBoolean(true);
            Map<String, AtomicInteger> accepted = new ConcurrentHashMap<>();
            target.respondWith(countingAcceptance(up, accepted));
            service.awaitReady();
            HostClient client = new HostClient(service.port(), SIGNING_KEY);
            URI url = target.uri("/hooks/restart");
            Map<String, HostClient.Answer> firstAnswers;
            try (SteadyLoad load = SteadyLoad.start(client, "restart", url)) {
                Thread.sleep(2_000);
                postgres.stop();
                Thread.sleep(5_000);
                postgres.startAgain();
                Thread.sleep(5_000);
                firstAnswers = load.stop();
            }

            Map<Integer, Long> statuses = firstAnswers.values().stream().collect(Collectors.groupingBy(
                    HostClient.Answer::status, TreeMap::new, Collectors.counting()));
            assertThat(statuses.keySet()).as(statuses.toString()).containsExactlyInAnyOrder(201, 503);
            assertThat(firstAnswers.values()).filteredOn(answer -> answer.status() == 503).allSatisfy(answer -> {
                assertThat(answer.header("Retry-After")).isNotNull();
                assertThat(answer.json().asJsonObject().getString("type")).isEqualTo("store_unavailable");
            });
            // Rainforest sends what was answered 503 again; by now the database is back.
            Set<String> refused = firstAnswers.entrySet().stream().filter(entry -> entry.getValue().status() == 503)
                    .map(Map.Entry::getKey).collect(Collectors.toSet());
            for (String id : refused) {
                HostClient.Answer again = client.postEvent(event(id, url));
                assertThat(again.status()).as(again.body()).isEqualTo(201);
            }

            assertThat(accepted.keySet()).as("events answered 201 or sent again").containsExactlyInAnyOrderElementsOf(
                    firstAnswers.keySet());
            Map<String, Integer> repeated = repeated(accepted);
            assertThat(refused).as("only an event answered 503 may have reached the target twice (delivered, then "
                    + "not recorded)").containsAll(repeated.keySet());
            assertThat(service.output()).doesNotContain("500 Internal");
        }
    }

    @Test
    void anInstanceStoppingBehindTheNginxExampleLosesNoEvent() throws Exception {
        Path example = Installation.directory().resolve("conf").resolve("nginx-cluster-example.conf");
        assertThat(Files.readString(Path.of("..", "README.md")))
                .as("the README shows the shipped example as it is")
                .contains(Files.readString(example).strip());
        Path config = config("rolling", postgres.createDatabase("rolling"), "PT1S");
        try (FakeTarget target = FakeTarget.start();
             ServiceProcess stopping = start("rolling-stopping", config);
             ServiceProcess staying = start("rolling-staying", config)) {
            Map<String, AtomicInteger> accepted = new ConcurrentHashMap<>();
            target.respondWith(countingAcceptance(new AtomicBoolean(true), accepted));
            stopping.awaitReady();
            staying.awaitReady();
            try (Nginx nginx = Nginx.start(temp.resolve("nginx"), Files.readString(example)
                    .replace("10.0.0.11:8080", "127.0.0.1:" + stopping.port())
                    .replace("10.0.0.12:8080", "127.0.0.1:" + staying.port()))) {
                HostClient client = new HostClient(nginx.port(), SIGNING_KEY);
                URI url = target.uri("/hooks/rolling");
                Map<String, HostClient.Answer> answers;
                int exitCode;
                try (SteadyLoad load = SteadyLoad.start(client, "rolling", url)) {
                    Thread.sleep(2_000);
                    exitCode = stopping.stop();
                    Thread.sleep(2_000);
                    answers = load.stop();
                }

                assertThat(exitCode).isZero();
                Map<Integer, Long> statuses = answers.values().stream().collect(Collectors.groupingBy(
                        HostClient.Answer::status, TreeMap::new, Collectors.counting()));
                assertThat(statuses).as("answers through nginx").containsOnlyKeys(201);
                assertThat(accepted.keySet()).containsExactlyInAnyOrderElementsOf(answers.keySet());
                assertThat(repeated(accepted)).as("events that reached the target more than once").isEmpty();
            }
        }
    }

    // ---- the installations ----

    private static ServiceProcess start(String name, Path config) {
        Map<String, String> environment = new HashMap<>();
        environment.put("INTEGRATIONS_SIGNING_KEY", SIGNING_KEY);
        environment.put("INTEGRATIONS_CONFIG_FILE", config.toString());
        environment.put("INTEGRATIONS_STORE_PASSWORD", PostgresServer.PASSWORD);
        environment.put("INTEGRATIONS_ADMIN_TOKEN", null);
        return OUTPUT.watch(ServiceProcess.start(Installation.script(), temp, environment,
                Installation.logsDirectory().resolve("ClusterIT-" + name + ".log")));
    }

    /** A PostgreSQL configuration: loopback targets allowed, one request per attempt, no jitter, a 5 s lease. */
    private static Path config(String name, String url, String retrySchedule) throws IOException {
        String yaml = """
                integrations:
                  admin:
                    token: "%s"
                  outbound:
                    allow-private-addresses: true
                  delivery:
                    inline-deadline: PT5S
                    deadline: PT5S
                    max-attempts: 1
                    retry-jitter: 0
                    retry-schedule: [%s]
                  store:
                    type: postgresql
                    url: "%s"
                    user: "%s"
                    encryption-key: "%s"
                    lease: PT5S
                """.formatted(TOKEN, retrySchedule, url, PostgresServer.USER, ENCRYPTION_KEY);
        return Files.writeString(temp.resolve(name + ".yaml"), yaml);
    }

    private static HostClient.Answer api(ServiceProcess service, String path) {
        return WebhookEvents.operatorGet(service, path, TOKEN);
    }

    private static String deliveryStatus(ServiceProcess service, String eventId) {
        HostClient.Answer answer = api(service, "/deliveries/" + eventId);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json().asJsonObject().getJsonArray("deliveries").getJsonObject(0).getString("status");
    }

    private static JsonObject onlyResult(HostClient.Answer answer) {
        assertThat(answer.json().asJsonObject().getJsonArray("results")).as(answer.body()).hasSize(1);
        return answer.json().asJsonObject().getJsonArray("results").getJsonObject(0);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
