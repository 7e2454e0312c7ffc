package com.rainforestqa.integrations.host;

import com.rainforestqa.integrations.host.config.HostConfig;
import com.rainforestqa.integrations.host.config.HostSettings;
import com.rainforestqa.integrations.host.config.ServerSettings;
import com.rainforestqa.integrations.host.delivery.DeliveryResult;
import com.rainforestqa.integrations.host.delivery.DeliveryLog;
import com.rainforestqa.integrations.host.delivery.Dispatcher;
import com.rainforestqa.integrations.host.delivery.PluginCall;
import com.rainforestqa.integrations.host.delivery.QueuedDeliveries;
import com.rainforestqa.integrations.host.delivery.EventCatalog;
import com.rainforestqa.integrations.host.delivery.IdempotencyStore;
import com.rainforestqa.integrations.host.delivery.InMemoryIdempotencyStore;
import com.rainforestqa.integrations.host.delivery.SharedIdempotencyStore;
import com.rainforestqa.integrations.host.delivery.RequestParser;
import com.rainforestqa.integrations.host.http.AdminToken;
import com.rainforestqa.integrations.host.http.ConnectionClose;
import com.rainforestqa.integrations.host.http.Cors;
import com.rainforestqa.integrations.host.http.DeliveriesService;
import com.rainforestqa.integrations.host.http.Draining;
import com.rainforestqa.integrations.host.http.ErrorResponses;
import com.rainforestqa.integrations.host.http.EventsService;
import com.rainforestqa.integrations.host.http.IntegrationsService;
import com.rainforestqa.integrations.host.http.OpenApiService;
import com.rainforestqa.integrations.host.http.PluginsService;
import com.rainforestqa.integrations.host.http.StallGuard;
import com.rainforestqa.integrations.host.http.TransportErrors;
import com.rainforestqa.integrations.host.http.SignatureVerifier;
import com.rainforestqa.integrations.host.observe.ErrorReporter;
import com.rainforestqa.integrations.host.observe.HostMetrics;
import com.rainforestqa.integrations.host.observe.MetricsService;
import com.rainforestqa.integrations.host.outbound.OutboundClient;
import com.rainforestqa.integrations.host.plugin.PluginDirectory;
import com.rainforestqa.integrations.host.plugin.PluginLoader;
import com.rainforestqa.integrations.host.plugin.PluginRegistry;
import com.rainforestqa.integrations.host.store.Store;

import io.helidon.config.Config;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.http.Method;
import io.helidon.webserver.ListenerConfig;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;

import jakarta.json.JsonObject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * The service without its server: settings, loaded plugins, the event catalogue and the dispatcher, and the routes
 * that expose them: the public API on the server's default socket, the operators' endpoints on its
 * {@value HostConfig#ADMIN_SOCKET} socket. {@link Main} serves it; tests serve it the same way.
 */
public final class IntegrationsHost implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(IntegrationsHost.class.getName());
    /** How long an instance's claim on an event in a shared store outlasts its inline deadline: time to record. */
    private static final Duration CLAIM_MARGIN = Duration.ofSeconds(10);

    private final HostSettings settings;
    private final PluginDirectory plugins;
    private final EventCatalog catalog;
    private final Jsonb jsonb;
    private final Dispatcher dispatcher;
    private final HostMetrics metrics;
    private final ErrorReporter reporter;
    private final Store store;
    private final DeliveryLog log;
    private final QueuedDeliveries queue;
    private final ServerSettings server;
    private final StallGuard stalls;
    private final Draining draining = new Draining();

    private IntegrationsHost(HostSettings settings, PluginDirectory plugins, EventCatalog catalog, Jsonb jsonb,
                             Dispatcher dispatcher, HostMetrics metrics, ErrorReporter reporter, Store store,
                             DeliveryLog log, QueuedDeliveries queue, ServerSettings server) {
        this.settings = settings;
        this.plugins = plugins;
        this.catalog = catalog;
        this.jsonb = jsonb;
        this.dispatcher = dispatcher;
        this.metrics = metrics;
        this.reporter = reporter;
        this.store = store;
        this.log = log;
        this.queue = queue;
        this.server = server;
        this.stalls = new StallGuard(new StallGuard.Settings(server.headerTimeout(), server.bodyTimeout(),
                server.idleTimeout(), server.maxConnections()));
    }

    /**
     * Reads the settings and loads the plugins; unless {@code integrations.plugins.watch} is false, keeps watching
     * the plugins directory until {@link #close()}.
     *
     * @param config the root configuration
     * @param home the installation directory
     * @return the host, ready to serve
     * @throws IllegalStateException if the configuration is unusable
     * @throws com.rainforestqa.integrations.host.plugin.PluginLoadException in strict mode, when a plugin fails
     */
    public static IntegrationsHost create(Config config, Path home) {
        HostSettings settings = HostSettings.from(config, home);
        if (!settings.requireSignature()) {
            LOG.log(System.Logger.Level.WARNING, "integrations.require-signature is false: UNSIGNED EVENTS ARE "
                    + "ACCEPTED. Anyone who can reach this port can make it post to any target. Local trials only.");
        }
        // Loading the plugins (jars, class loaders, schemas), opening the store (database files, migrations) and
        // setting up the rest (the HTTP client and its TLS trust store, JSON-B, Sentry) each take a few hundred
        // milliseconds at start, mostly loading classes: the plugins and the store open on threads of their own.
        FutureTask<PluginDirectory> opening = background("plugin-loading", () -> PluginDirectory.open(
                settings.pluginsDir(), new PluginLoader(), settings.strictPlugins()));
        FutureTask<Store> storeOpening = background("store-opening", () -> Store.open(settings.store()));
        EventCatalog catalog;
        ErrorReporter reporter;
        Jsonb jsonb;
        HostMetrics metrics;
        OutboundClient outbound;
        Clock clock = Clock.systemUTC();
        PluginDirectory plugins;
        Store store;
        try {
            catalog = EventCatalog.load();
            reporter = ErrorReporter.create(config.get("sentry"), settings.signingKey());
            jsonb = JsonbBuilder.create();
            metrics = new HostMetrics();
            outbound = new OutboundClient(settings.connectTimeout(), settings.readTimeout(),
                    settings.maxResponseBody(), settings.allowPrivateAddresses(), settings.httpsOnly(), clock, metrics);
            store = join(storeOpening, "the store");
            plugins = join(opening, "the plugins directory");
        } catch (RuntimeException | Error e) {
            closeWhenOpen(opening);
            closeWhenOpen(storeOpening);
            throw e;
        }
        Config watch = config.get("integrations.plugins");
        if (HostConfig.required(watch.get("watch"), Boolean.class)) {
            plugins.watch(HostConfig.required(watch.get("watch-interval"), Duration.class));
        }
        PluginCall calls = new PluginCall(outbound, jsonb, config.get("plugins"), settings.retries(),
                settings.maxErrorBody(), clock, metrics, reporter);
        DeliveryLog log = new DeliveryLog(store);
        QueuedDeliveries queue = new QueuedDeliveries(log, plugins, calls, settings.retrySchedule(), settings.deadline(),
                new QueuedDeliveries.Retention(settings.idempotencyRetention(), settings.store().retention()),
                settings.store().lease(), settings.queueThreads(), clock, metrics);
        IdempotencyStore idempotency = new InMemoryIdempotencyStore(settings.idempotencyRetention(),
                settings.idempotencyMaxEntries(), clock);
        if (store.shared()) {
            idempotency = new SharedIdempotencyStore(idempotency, store, CLAIM_MARGIN, clock);
        }
        Dispatcher dispatcher = new Dispatcher(calls, log, queue, settings.retrySchedule(), settings.inlineDeadline(),
                idempotency, clock, metrics, reporter);
        metrics.backlogSource(() -> {
            DeliveryLog.Backlog backlog = log.backlog();
            return new HostMetrics.Backlog(backlog.queued(), backlog.oldestReceivedAt()
                    .map(at -> Duration.between(at, clock.instant())));
        });
        queue.start();
        return new IntegrationsHost(settings, plugins, catalog, jsonb, dispatcher, metrics, reporter, store, log,
                queue, ServerSettings.from(config, settings.deadline()));
    }

    private static <T> FutureTask<T> background(String name, java.util.concurrent.Callable<T> task) {
        FutureTask<T> future = new FutureTask<>(task);
        Thread.ofPlatform().name(name).start(future);
        return future;
    }

    /** What a background task opened, or what stopped it, as thrown on the thread that ran it. */
    private static <T> T join(FutureTask<T> opening, String what) {
        try {
            return opening.get();
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case RuntimeException cause -> throw cause;
                case Error cause -> throw cause;
                default -> throw new IllegalStateException("could not open " + what, e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while opening " + what, e);
        }
    }

    /** Releases what a background task opens, once it has, for a start that failed elsewhere. */
    private static void closeWhenOpen(FutureTask<? extends AutoCloseable> opening) {
        Thread.ofPlatform().name("start-release").start(() -> {
            try {
                opening.get().close();
            } catch (Exception ignored) {
                // The start failed already; its own error is the one to report.
            }
        });
    }

    /**
     * Stops taking requests (new ones are answered 503 with {@code Retry-After}) and waits for those in flight, up
     * to {@code integrations.shutdown.grace}.
     *
     * @return how many requests were still in flight when the wait ended
     * @throws InterruptedException if interrupted while waiting
     */
    public int drain() throws InterruptedException {
        draining.begin();
        return draining.awaitIdle(server.shutdownGrace());
    }

    /**
     * Registers the public API on a routing: {@code /events}, {@code /integrations} and {@code /openapi}; any other
     * path is the JSON 404.
     *
     * @param routing the routing builder of the server's default socket
     */
    public void routing(HttpRouting.Builder routing) {
        // First, so that it also sees the answers of the filters after it: draining's 503, CORS pre-flights.
        routing.addFilter(new ConnectionClose())
                .addFilter(draining)
                .addFilter(new Cors(settings.corsOrigins()))
                .addFilter((chain, request, response) -> {
                    // Counted once the answer is sent, whichever handler sent it (errors included).
                    if (request.prologue().method() == Method.POST
                            && (request.path().path().equals("/events") || request.path().path().equals("/events/"))) {
                        response.whenSent(() -> metrics.eventReceived(response.status().code()));
                    }
                    chain.proceed();
                })
                .register("/events", new EventsService(catalog, plugins, dispatcher,
                        settings.signingKey().filter(key -> settings.requireSignature())
                                .map(key -> new SignatureVerifier(key, settings.signatureTolerance(),
                                        settings.requireTimestamp(), Clock.systemUTC())),
                        settings.maxBodySize(), settings.maxIntegrationsPerEvent(), stalls::bodyRead))
                .register("/integrations", new IntegrationsService(plugins))
                .register("/openapi", new OpenApiService());
        ErrorResponses.register(routing, reporter);
    }

    /**
     * Registers the operators' endpoints on a routing: {@code /plugins}, {@code /deliveries} and
     * {@code /observe/metrics}, behind {@code integrations.admin.token} when it is set. {@link #observeFeature()}
     * adds {@code /observe/health} next to them.
     *
     * @param routing the routing builder of the {@value HostConfig#ADMIN_SOCKET} socket
     */
    public void adminRouting(HttpRouting.Builder routing) {
        AdminToken token = new AdminToken(settings.adminToken());
        // The socket is served by the same web server as the public one: it too has to close what it is asked to.
        routing.addFilter(new ConnectionClose())
                .addFilter(token)
                .register("/plugins", new PluginsService(plugins))
                .register("/deliveries", new DeliveriesService(log, queue, token))
                .register("/observe/metrics", new MetricsService(metrics));
        ErrorResponses.register(routing, reporter);
    }

    /**
     * The operators' health endpoint, {@code /observe/health} on the {@value HostConfig#ADMIN_SOCKET} socket: UP once
     * the plugins are loaded and the server serves, with the counts of loaded and failed plugins. It needs no token,
     * so that probes reach it. Add it to the server next to {@link #adminRouting}, which serves
     * {@code /observe/metrics}.
     *
     * @return the server feature
     */
    public ObserveFeature observeFeature() {
        HealthObserver health = HealthObserver.builder()
                .details(true)
                .useSystemServices(false)
                .addCheck(() -> HealthCheckResponse.builder()
                        .status(true)
                        .detail("loaded", plugins.current().integrations().size())
                        .detail("failed", plugins.current().failures().size())
                        .build(), HealthCheckType.READINESS, "plugins")
                .build();
        return ObserveFeature.builder()
                .observersDiscoverServices(false)
                .sockets(List.of(HostConfig.ADMIN_SOCKET))
                .addObserver(health)
                .build();
    }

    /**
     * Serves the host on a server: the public API on its default socket, the operators' endpoints and the health
     * check on its {@value HostConfig#ADMIN_SOCKET} socket. Both sockets get read deadlines for slow clients
     * ({@link StallGuard}) and JSON answers for requests the server refuses before routing; the public one also a
     * connection limit the heap affords. {@code server.*} settings of the configuration are expected on the builder
     * already.
     *
     * @param server the server's builder, with a socket named {@value HostConfig#ADMIN_SOCKET}
     * @throws IllegalStateException if the server has no {@value HostConfig#ADMIN_SOCKET} socket
     */
    public void serve(WebServerConfig.Builder server) {
        ListenerConfig admin = server.sockets().get(HostConfig.ADMIN_SOCKET);
        if (admin == null) {
            throw new IllegalStateException("the server has no socket named " + HostConfig.ADMIN_SOCKET
                    + " for the operators' endpoints");
        }
        guard(server);
        server.putSocket(HostConfig.ADMIN_SOCKET, guard(ListenerConfig.builder().from(admin)).build())
                .maxTcpConnections(this.server.maxConnections())
                .routing(this::routing)
                .routing(HostConfig.ADMIN_SOCKET, this::adminRouting)
                .addFeature(observeFeature());
    }

    private <B extends ListenerConfig.BuilderBase<B, ?>> B guard(B socket) {
        return socket
                // The request line has no deadline of its own: the server's idle timer ends a connection that waits
                // for it too long, and checks every second.
                .idleConnectionTimeout(this.server.idleTimeout())
                .idleConnectionPeriod(Duration.ofSeconds(1))
                .directHandlers(TransportErrors.handlers())
                // Plain sockets: one 8 KiB read buffer per connection where NIO sockets hold a read and a write buffer,
                // so a connection waiting for its client holds 14 KiB of heap instead of 21 (measured), at the same
                // throughput.
                .useNio(false)
                // The only protocol, with the guard's listeners: any other next to it would make the server probe
                // each new connection, and close HTTP/1.0 ones without an answer.
                .protocolsDiscoverServices(false)
                .protocols(List.of(Http1Config.builder()
                        .addReceiveListener(stalls.receiving())
                        .addSendListener(stalls.sending())
                        .build()));
    }

    /** @return the host's meters */
    public HostMetrics metrics() {
        return metrics;
    }

    /**
     * Validates and delivers one event as {@code POST /events} does, without HTTP or a signature: for tools and
     * tests that run the host in-process.
     *
     * @param request a {@code POST /events} body
     * @return one result per requested integration, in request order
     * @throws com.rainforestqa.integrations.host.delivery.RejectedRequest when the request is not valid; nothing was
     *         sent then
     */
    public List<DeliveryResult> deliver(JsonObject request) {
        byte[] body = request.toString().getBytes(StandardCharsets.UTF_8);
        try (PluginDirectory.Lease lease = plugins.lease()) {
            return dispatcher.deliver(new RequestParser(catalog, lease.registry(),
                    settings.maxIntegrationsPerEvent()).parse(body, Optional.empty()));
        }
    }

    /** @return the plugins serving now */
    public PluginRegistry plugins() {
        return plugins.current();
    }

    /** @return the plugins directory, which may change what {@link #plugins()} answers while the host runs */
    public PluginDirectory pluginDirectory() {
        return plugins;
    }

    /** @return the settings the host runs with */
    public HostSettings settings() {
        return settings;
    }

    /** @return the record of deliveries */
    public DeliveryLog deliveries() {
        return log;
    }

    /** @return the queue of deliveries waiting for another attempt */
    public QueuedDeliveries queue() {
        return queue;
    }

    /**
     * Stops deliveries (queued ones stay queued for the next start), closes the store, sends pending error reports
     * and releases the plugins.
     */
    @Override
    public void close() {
        stalls.close();
        queue.close();
        dispatcher.close();
        store.close();
        reporter.close();
        try {
            jsonb.close();
            plugins.close();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.DEBUG, "Could not release every resource on close", e);
        }
    }
}
