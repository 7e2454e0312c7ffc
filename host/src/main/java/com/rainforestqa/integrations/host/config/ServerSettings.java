package com.rainforestqa.integrations.host.config;

import io.helidon.config.Config;

import java.time.Duration;

/**
 * How the HTTP server protects itself from its clients, read once from {@link Config} at start.
 *
 * @param headerTimeout how long a client may take from its request line to the end of its headers
 * @param bodyTimeout how long a client may take to send a body once its headers are in
 * @param idleTimeout how long a connection may wait for its next request, or for its request line
 * @param maxConnections how many connections the public port holds at once ({@code server.max-tcp-connections},
 *        derived from the heap when not set)
 * @param shutdownGrace how long a stop waits for the requests in flight
 */
public record ServerSettings(Duration headerTimeout, Duration bodyTimeout, Duration idleTimeout, int maxConnections,
                             Duration shutdownGrace) {
    /**
     * What one connection waiting for its client holds on the heap at most, with a margin: measured at 14 KiB (the
     * socket's 8 KiB read buffer, the parked thread's stack, the parsed request line and headers).
     */
    static final long CONNECTION_HEAP = 24 * 1024;

    /** The heap kept for everything else: plugins, the store's cache, requests being handled. */
    static final long RESERVED_HEAP = 64L * 1024 * 1024;

    /**
     * Reads the settings.
     *
     * @param config the root configuration
     * @param deliveryDeadline the bound on an event's deliveries; the default grace is a little longer
     * @return the settings
     */
    public static ServerSettings from(Config config, Duration deliveryDeadline) {
        Config http = config.get("integrations.http");
        int configured = config.get("server.max-tcp-connections").asInt().orElse(-1);
        return new ServerSettings(
                HostConfig.required(http.get("header-timeout"), Duration.class),
                HostConfig.required(http.get("body-timeout"), Duration.class),
                HostConfig.required(http.get("idle-timeout"), Duration.class),
                configured > 0 ? configured : connectionsFor(Runtime.getRuntime().maxMemory()),
                config.get("integrations.shutdown.grace").as(Duration.class)
                        .orElse(deliveryDeadline.plusSeconds(5)));
    }

    /**
     * The connection limit a heap affords: the limit is reached long before the memory is, so a flood of connections
     * waits at the door instead of ending the process.
     *
     * @param maxHeap the largest heap, in bytes
     * @return the limit, at least 256
     */
    static int connectionsFor(long maxHeap) {
        return (int) Math.max(256, Math.min(Integer.MAX_VALUE, (maxHeap - RESERVED_HEAP) / CONNECTION_HEAP));
    }
}
