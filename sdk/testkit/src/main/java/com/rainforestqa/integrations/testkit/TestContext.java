package com.rainforestqa.integrations.testkit;

import static java.util.Objects.requireNonNull;

import com.rainforestqa.integrations.api.IntegrationContext;
import com.rainforestqa.integrations.api.OutboundHttp;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;

import java.time.Clock;
import java.util.Map;

/**
 * A stand-in for the {@link IntegrationContext} the host lends a plugin, for unit tests that call
 * {@code Integration.deliver} directly.
 *
 * <p>Outbound HTTP goes through a {@link SimpleOutboundHttp}, which applies none of the host's deadline, address
 * rules or redaction: to test a plugin the way the host runs it, use a harness that goes through the host.
 * {@link #jsonb()} uses whichever JSON-B provider is on the class path (Yasson comes with this kit).
 *
 * <p>Thread-safe. Close it to release the HTTP client and the {@link Jsonb}.
 */
public final class TestContext implements IntegrationContext, AutoCloseable {
    private final SimpleOutboundHttp http;
    private final Map<String, String> config;
    private final Clock clock;
    private final System.Logger logger = System.getLogger(TestContext.class.getName());
    private final Object jsonbLock = new Object();
    private Jsonb jsonb;

    /** A context with no plugin configuration and the system clock. */
    public TestContext() {
        this(Map.of(), Clock.systemUTC());
    }

    /**
     * A context with the given plugin configuration and clock.
     *
     * @param config the plugin's configuration, as the host would flatten {@code plugins.<key>.*}
     * @param clock the clock the plugin reads
     */
    public TestContext(Map<String, String> config, Clock clock) {
        this.config = Map.copyOf(requireNonNull(config, "config is null"));
        this.clock = requireNonNull(clock, "clock is null");
        this.http = new SimpleOutboundHttp();
    }

    @Override
    public OutboundHttp http() {
        return http;
    }

    /** Created on first use, because most plugins never bind JSON. */
    @Override
    public Jsonb jsonb() {
        synchronized (jsonbLock) {
            if (jsonb == null) {
                jsonb = JsonbBuilder.create();
            }
            return jsonb;
        }
    }

    @Override
    public Map<String, String> config() {
        return config;
    }

    @Override
    public System.Logger logger() {
        return logger;
    }

    @Override
    public Clock clock() {
        return clock;
    }

    /** Closes the HTTP client and, if one was created, the {@link Jsonb}. */
    @Override
    public void close() {
        http.close();
        synchronized (jsonbLock) {
            if (jsonb != null) {
                try {
                    jsonb.close();
                } catch (Exception e) {
                    throw new IllegalStateException("cannot close Jsonb", e);
                }
            }
        }
    }
}
