package com.rainforestqa.integrations.api;

import jakarta.json.bind.Jsonb;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.util.Locale;
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
     * The base URL of an API that lives at one fixed host (PagerDuty, GitHub, ...): the operator's
     * {@code plugins.<key>.api-url} when set, for self-hosted servers and tests, else the service's public URL.
     *
     * @param defaultUrl the service's public base URL
     * @return the base URL without a trailing slash
     * @throws IntegrationException of type {@link ErrorType#MISCONFIGURED_INTEGRATION} when the operator's value is
     *         not an absolute http(s) URL without query: the installation is at fault, not the user
     */
    default String apiUrl(String defaultUrl) {
        String url = config().getOrDefault("api-url", defaultUrl).strip();
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("https") || scheme.equals("http")) && uri.getHost() != null
                    && uri.getRawQuery() == null && uri.getRawFragment() == null) {
                return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
            }
        } catch (URISyntaxException e) {
            // reported below, without the value's details
        }
        throw new IntegrationException(ErrorType.MISCONFIGURED_INTEGRATION,
                "the operator's plugins.<key>.api-url is not an absolute http(s) URL");
    }

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
