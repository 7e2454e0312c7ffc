package com.rainforestqa.integrations.api;

/**
 * One integration: turns Rainforest events into messages or tickets in one target service.
 *
 * <p>Implementations are found with {@link java.util.ServiceLoader} in the plugin's own class loader, so they need a
 * public no-argument constructor. One instance serves every event, from many threads at once: keep it stateless,
 * or make any state it holds thread-safe. Anything an integration needs per event (settings, HTTP, clock, logger)
 * arrives as an argument of {@link #deliver}.
 *
 * <p>The host only calls {@link #deliver} for event types that the integration's schema lists, and always for
 * {@link Event#INTEGRATION_TEST}; it has already checked that every setting the schema marks {@code required} is present.
 */
public interface Integration {

    /**
     * The integration's key, as used in requests and as the name of its schema file
     * ({@code META-INF/integrations/<key>.yaml}). Lowercase letters, digits and underscores; never changes.
     *
     * @return the key, for example {@code "slack"}
     */
    String key();

    /**
     * Delivers one event to the target service.
     *
     * <p>Called on a virtual thread, with the plugin's class loader as the thread's context class loader. The host
     * bounds the whole delivery by a deadline; blocking calls through {@link IntegrationContext#http()} are the
     * intended way to wait.
     *
     * @param event the event, with its payload already checked for the top-level keys its type requires
     * @param settings the user's settings for this integration, as sent with the event
     * @param context what the host lends this delivery: outbound HTTP, JSON binding, config, logger, clock
     * @return {@link Outcome#delivered()} when the target accepted the event, or {@link Outcome#skipped(String)} when
     *         there was nothing to send for it
     * @throws IntegrationException when the event could not be delivered; its {@link ErrorType} tells the host whether
     *         the user's settings are wrong, the request was wrong, or the failure may pass on a retry
     */
    Outcome deliver(Event event, Settings settings, IntegrationContext context);
}
