package com.rainforestqa.integrations.api;

import jakarta.json.bind.Jsonb;

import java.time.Clock;
import java.util.Map;

/**
 * What the host lends an integration for one delivery. The objects it returns belong to the host: do not close them.
 */
public interface IntegrationContext {

    /**
     * Outbound HTTP, the only way to reach the target.
     *
     * @return the client for this delivery
     */
    OutboundHttp http();

    /**
     * JSON binding (Jakarta JSON-B), shared by all plugins.
     *
     * @return a thread-safe {@link Jsonb}
     */
    Jsonb jsonb();

    /**
     * The operator's configuration for this plugin: the subtree {@code plugins.<key>.*} of the host's config,
     * flattened, with keys relative to it (for example {@code "api-url"}).
     *
     * @return an unmodifiable map, empty when the operator configured nothing
     */
    Map<String, String> config();

    /**
     * A logger named after the plugin. Never log setting values: they are often secrets.
     *
     * @return the logger
     */
    System.Logger logger();

    /**
     * The clock to read the time from, so that tests can fix it.
     *
     * @return the clock
     */
    Clock clock();
}
