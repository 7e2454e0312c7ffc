package com.rainforestqa.integrations.distribution;

import com.rainforestqa.integrations.testkit.HostClient;
import com.rainforestqa.integrations.testkit.RecordedRequest;
import com.rainforestqa.integrations.testkit.Reply;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Events for the bundled webhook plugin, and fake targets that count them: the plugin's {@code webhook-id} header
 * carries the event id, so a target tells which delivery arrived and how often.
 */
final class WebhookEvents {
    /** How long a test waits for deliveries the service makes in the background. */
    static final Duration DELIVERY_WAIT = Duration.ofSeconds(60);

    private WebhookEvents() {
    }

    /** A run completion for the webhook integration, posting to {@code url}. */
    static String event(String eventId, URI url) {
        return event(eventId, "{\"url\":\"" + url + "\"}");
    }

    /** A run completion for the webhook integration with these settings. */
    static String event(String eventId, String webhookSettings) {
        return """
                {"event_type":"run_completion","event_id":"%s",\
                "integrations":[{"key":"webhook","settings":%s}],\
                "payload":{"frontend_url":"https://app.rainforestqa.com/runs/1",\
                "run":{"id":1,"environment":{"name":"QA"},"result":"passed","description":"Smoke",\
                "time_taken":65,"total_tests":3,"total_passed_tests":3,"total_failed_tests":0,\
                "total_no_result_tests":0}}}""".formatted(eventId, webhookSettings);
    }

    /** Posts one event per id at once, and returns the answers in the order of the ids. */
    static List<HostClient.Answer> postAll(HostClient client, List<String> ids, Function<String, String> body)
            throws Exception {
        return postAll(client, ids, body, ids.size());
    }

    /** Posts one event per id, {@code inFlight} at a time, and returns the answers in the order of the ids. */
    static List<HostClient.Answer> postAll(HostClient client, List<String> ids, Function<String, String> body,
                                           int inFlight) throws Exception {
        try (ExecutorService posts = Executors.newFixedThreadPool(inFlight, Thread.ofVirtual().factory())) {
            List<Future<HostClient.Answer>> futures = ids.stream()
                    .map(id -> posts.submit(() -> client.postEvent(body.apply(id)))).toList();
            List<HostClient.Answer> answers = new ArrayList<>();
            for (Future<HostClient.Answer> future : futures) {
                answers.add(future.get(60, TimeUnit.SECONDS));
            }
            return answers;
        }
    }

    /** A {@code GET} of a service's operators' socket with a bearer token. */
    static HostClient.Answer operatorGet(ServiceProcess service, String path, String token) {
        HostClient client = new HostClient(service.adminPort(), "");
        return client.send(client.request(path).header("Authorization", "Bearer " + token).GET());
    }

    /** 503 while the target is down; once up, 200 and a count per {@code webhook-id}. */
    static Function<RecordedRequest, Reply> countingAcceptance(AtomicBoolean up, Map<String, AtomicInteger> accepted) {
        return request -> {
            if (!up.get()) {
                return Reply.status(503, "down");
            }
            String id = request.header("webhook-id").orElse("(no webhook-id)");
            accepted.computeIfAbsent(id, key -> new AtomicInteger()).incrementAndGet();
            return Reply.status(200, "ok");
        };
    }

    /** The ids that arrived other than once, with their counts. */
    static Map<String, Integer> repeated(Map<String, AtomicInteger> accepted) {
        return accepted.entrySet().stream().filter(entry -> entry.getValue().get() != 1)
                .collect(Collectors.toMap(Map.Entry::getKey, entry -> entry.getValue().get(), (a, b) -> a,
                        TreeMap::new));
    }

    /** Polls a condition every 200 ms for at most {@link #DELIVERY_WAIT}. */
    static void awaitCondition(BooleanSupplier condition, String what, Supplier<String> state)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(DELIVERY_WAIT);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("waited " + DELIVERY_WAIT + " for " + what + "; last: " + state.get());
            }
            Thread.sleep(200);
        }
    }

    /** Four callers posting events one after another, each with an id of its own, until stopped. */
    static final class SteadyLoad implements AutoCloseable {
        private final AtomicBoolean loading = new AtomicBoolean(true);
        private final Map<String, HostClient.Answer> answers = new ConcurrentHashMap<>();
        private final ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();
        private final List<Future<?>> load = new ArrayList<>();

        private SteadyLoad() {
        }

        /**
         * Starts posting events for the webhook integration to {@code url}, their ids {@code prefix-caller-n}.
         *
         * @return the running load
         */
        static SteadyLoad start(HostClient client, String prefix, URI url) {
            SteadyLoad steady = new SteadyLoad();
            for (int caller = 0; caller < 4; caller++) {
                int number = caller;
                steady.load.add(steady.callers.submit(() -> {
                    for (int i = 0; steady.loading.get(); i++) {
                        String id = prefix + "-" + number + "-" + i;
                        steady.answers.put(id, client.postEvent(event(id, url)));
                    }
                    return null;
                }));
            }
            return steady;
        }

        /**
         * Stops posting once the requests in flight are answered.
         *
         * @return every event's answer, by id
         */
        Map<String, HostClient.Answer> stop() throws Exception {
            loading.set(false);
            for (Future<?> caller : load) {
                caller.get(60, TimeUnit.SECONDS);
            }
            return Map.copyOf(answers);
        }

        @Override
        public void close() {
            loading.set(false);
            callers.shutdownNow();
        }
    }
}
