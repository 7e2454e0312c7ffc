package com.rainforestqa.integrations.host;

import com.rainforestqa.integrations.host.config.HostSettings;
import com.rainforestqa.integrations.host.delivery.Dispatcher;
import com.rainforestqa.integrations.host.delivery.EventCatalog;
import com.rainforestqa.integrations.host.delivery.InMemoryIdempotencyStore;
import com.rainforestqa.integrations.host.delivery.RequestParser;
import com.rainforestqa.integrations.host.http.Cors;
import com.rainforestqa.integrations.host.http.ErrorResponses;
import com.rainforestqa.integrations.host.http.EventsService;
import com.rainforestqa.integrations.host.http.IntegrationsService;
import com.rainforestqa.integrations.host.observe.ErrorReporter;
import com.rainforestqa.integrations.host.observe.HostMetrics;
import com.rainforestqa.integrations.host.outbound.OutboundClient;
import com.rainforestqa.integrations.host.plugin.PluginLoader;
import com.rainforestqa.integrations.host.plugin.PluginRegistry;

import io.helidon.config.Config;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.http.Method;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.metrics.MetricsObserver;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * The service without its server: settings, loaded plugins, the event catalogue and the dispatcher, and the routes
 * that expose them. {@link Main} serves it; tests serve it the same way.
 */
public final class IntegrationsHost implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(IntegrationsHost.class.getName());

    private final HostSettings settings;
    private final PluginRegistry plugins;
    private final EventCatalog catalog;
    private final Jsonb jsonb;
    private final Dispatcher dispatcher;
    private final HostMetrics metrics;
    private final ErrorReporter reporter;

    private IntegrationsHost(HostSettings settings, PluginRegistry plugins, EventCatalog catalog, Jsonb jsonb,
                             Dispatcher dispatcher, HostMetrics metrics, ErrorReporter reporter) {
        this.settings = settings;
        this.plugins = plugins;
        this.catalog = catalog;
        this.jsonb = jsonb;
        this.dispatcher = dispatcher;
        this.metrics = metrics;
        this.reporter = reporter;
    }

    /**
     * Reads the settings and loads the plugins.
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
        EventCatalog catalog = EventCatalog.load();
        ErrorReporter reporter = ErrorReporter.create(config.get("sentry"), settings.signingKey());
        PluginRegistry plugins = new PluginLoader().loadAll(settings.pluginsDir(), settings.strictPlugins());
        Clock clock = Clock.systemUTC();
        Jsonb jsonb = JsonbBuilder.create();
        HostMetrics metrics = HostMetrics.create();
        OutboundClient outbound = new OutboundClient(settings.connectTimeout(), settings.readTimeout(),
                settings.maxResponseBody(), settings.allowPrivateAddresses(), settings.httpsOnly(), clock, metrics);
        Dispatcher dispatcher = new Dispatcher(outbound, jsonb, config.get("plugins"), settings.deadline(),
                settings.retries(), new InMemoryIdempotencyStore(settings.idempotencyRetention(),
                        settings.idempotencyMaxEntries(), clock), settings.maxErrorBody(), clock, metrics, reporter);
        return new IntegrationsHost(settings, plugins, catalog, jsonb, dispatcher, metrics, reporter);
    }

    /**
     * Registers the HTTP API on a routing.
     *
     * @param routing the server's routing builder
     */
    public void routing(HttpRouting.Builder routing) {
        routing.addFilter(new Cors(settings.corsOrigins()))
                .addFilter((chain, request, response) -> {
                    // Counted once the answer is sent, whichever handler sent it (errors included).
                    if (request.prologue().method() == Method.POST
                            && (request.path().path().equals("/events") || request.path().path().equals("/events/"))) {
                        response.whenSent(() -> metrics.eventReceived(response.status().code()));
                    }
                    chain.proceed();
                })
                .register("/events", new EventsService(catalog, new RequestParser(catalog, plugins), dispatcher,
                        settings.requireSignature() ? settings.signingKey() : Optional.empty(),
                        settings.maxBodySize()))
                .register("/integrations", new IntegrationsService(plugins));
        ErrorResponses.register(routing, reporter);
    }

    /**
     * The operators' endpoints: {@code /observe/health} (UP once the plugins are loaded and the server serves, with
     * the counts of loaded and failed plugins) and {@code /observe/metrics} (this host's meters, Prometheus text by
     * default). Add it to the server next to {@link #routing}.
     *
     * @return the server feature
     */
    public ObserveFeature observeFeature() {
        HealthObserver health = HealthObserver.builder()
                .details(true)
                .useSystemServices(false)
                .addCheck(() -> HealthCheckResponse.builder()
                        .status(true)
                        .detail("loaded", plugins.integrations().size())
                        .detail("failed", plugins.failures().size())
                        .build(), HealthCheckType.READINESS, "plugins")
                .build();
        MetricsObserver metricsObserver = MetricsObserver.builder()
                .meterRegistry(metrics.registry())
                .build();
        return ObserveFeature.builder()
                .observersDiscoverServices(false)
                .addObserver(health)
                .addObserver(metricsObserver)
                .build();
    }

    /** @return the host's meters */
    public HostMetrics metrics() {
        return metrics;
    }

    /** @return the loaded plugins */
    public PluginRegistry plugins() {
        return plugins;
    }

    /** @return the settings the host runs with */
    public HostSettings settings() {
        return settings;
    }

    /** Stops deliveries, sends pending error reports and releases the plugins. */
    @Override
    public void close() {
        dispatcher.close();
        reporter.close();
        try {
            jsonb.close();
            plugins.close();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.DEBUG, "Could not release every resource on close", e);
        }
    }
}
