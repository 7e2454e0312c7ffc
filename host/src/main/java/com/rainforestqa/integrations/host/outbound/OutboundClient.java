package com.rainforestqa.integrations.host.outbound;

import com.rainforestqa.integrations.api.ErrorType;
import com.rainforestqa.integrations.api.IntegrationException;
import com.rainforestqa.integrations.api.OutboundHttp;
import com.rainforestqa.integrations.api.OutboundRequest;
import com.rainforestqa.integrations.api.OutboundResponse;
import com.rainforestqa.integrations.host.io.BoundedReads;
import com.rainforestqa.integrations.host.observe.HostMetrics;
import com.rainforestqa.integrations.host.plugin.ContextClassLoader;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webclient.api.ClientUri;
import io.helidon.webclient.api.HttpClientRequest;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The host's one HTTP client for all plugins. Each delivery gets its own {@link OutboundHttp} view, which knows the
 * plugin's allowed hosts and the event's deadline.
 */
public final class OutboundClient {
    private final GuardedDnsResolver resolver;
    private final boolean httpsOnly;
    private final WebClient client;
    private final Duration readTimeout;
    private final int maxResponseBody;
    private final Clock clock;
    private final HostMetrics metrics;

    /**
     * A client with the given limits.
     *
     * @param connectTimeout the time to establish a connection
     * @param readTimeout the longest wait for an answer, shortened to the time left before the event's deadline
     * @param maxResponseBody how many bytes of an answer are kept; the rest is dropped
     * @param allowPrivateAddresses whether targets may be on loopback, private, link-local and other non-public
     *                              addresses (tests, on-premises servers)
     * @param httpsOnly whether plain {@code http} targets are refused
     * @param clock the clock deadlines are measured with
     */
    public OutboundClient(Duration connectTimeout, Duration readTimeout, int maxResponseBody,
                          boolean allowPrivateAddresses, boolean httpsOnly, Clock clock) {
        this(connectTimeout, readTimeout, maxResponseBody, allowPrivateAddresses, httpsOnly, clock,
                new HostMetrics());
    }

    /**
     * A client with the given limits that counts the requests it sends.
     *
     * @param connectTimeout the time to establish a connection
     * @param readTimeout the longest wait for an answer, shortened to the time left before the event's deadline
     * @param maxResponseBody how many bytes of an answer are kept; the rest is dropped
     * @param allowPrivateAddresses whether targets may be on non-public addresses
     * @param httpsOnly whether plain {@code http} targets are refused
     * @param clock the clock deadlines are measured with
     * @param metrics counts requests by integration and status class
     */
    public OutboundClient(Duration connectTimeout, Duration readTimeout, int maxResponseBody,
                          boolean allowPrivateAddresses, boolean httpsOnly, Clock clock, HostMetrics metrics) {
        this.metrics = metrics;
        this.httpsOnly = httpsOnly;
        this.resolver = new GuardedDnsResolver(allowPrivateAddresses);
        this.client = WebClient.builder()
                .dnsResolver(resolver)
                .connectTimeout(connectTimeout)
                .readTimeout(readTimeout)
                // A redirect could lead anywhere, including inside our network: targets are called as configured.
                .followRedirects(false)
                .shareConnectionCache(false)
                .build();
        this.readTimeout = readTimeout;
        this.maxResponseBody = maxResponseBody;
        this.clock = clock;
    }

    /**
     * The HTTP client one delivery lends to a plugin.
     *
     * @param pluginKey the integration's key, for messages
     * @param allowedHosts hosts the plugin may reach (exact names, or {@code *.example.com}); empty allows any host
     * @param deadline when the event's delivery must be over
     * @return the client
     */
    public OutboundHttp forDelivery(String pluginKey, Set<String> allowedHosts, Instant deadline) {
        return request -> send(pluginKey, allowedHosts, deadline, request);
    }

    private OutboundResponse send(String pluginKey, Set<String> allowedHosts, Instant deadline,
                                  OutboundRequest request) {
        URI uri = request.uri();
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IntegrationException(ErrorType.MISCONFIGURED_INTEGRATION,
                    "the target URL must be an http or https URL with a host");
        }
        if (httpsOnly && !scheme.equals("https")) {
            throw new IntegrationException(ErrorType.USER_CONFIGURATION_ERROR,
                    "the target URL must use https: this installation refuses plain http");
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        if (!allowedHosts.isEmpty() && !anyMatches(allowedHosts, host)) {
            throw new IntegrationException(ErrorType.USER_CONFIGURATION_ERROR,
                    "the URL's host " + host + " is not one " + pluginKey + " may reach (allowed: "
                            + String.join(", ", allowedHosts.stream().sorted().toList()) + ")");
        }
        Duration left = Duration.between(clock.instant(), deadline);
        if (left.isNegative() || left.isZero()) {
            throw new IntegrationException(ErrorType.TRANSIENT, "the delivery deadline passed before " + host
                    + " could be called");
        }
        Duration timeout = left.compareTo(readTimeout) < 0 ? left : readTimeout;
        // Checked here for a clear answer before anything is sent, and again by the resolver at connect time.
        resolve(host);

        // Helidon may look up services through the context class loader, which is the plugin's during a delivery.
        return ContextClassLoader.run(OutboundClient.class.getClassLoader(),
                () -> exchange(pluginKey, request, uri, host, timeout));
    }

    /** Sends the request; runs with the host's class loader as the thread's context class loader. */
    private OutboundResponse exchange(String pluginKey, OutboundRequest request, URI uri, String host,
                                      Duration timeout) {
        try {
            HttpClientRequest call = client.method(Method.create(request.method()))
                    .uri(rawUri(uri))
                    .skipUriEncoding(true)
                    .readTimeout(timeout)
                    .followRedirects(false);
            request.headers().forEach((name, value) -> call.header(HeaderNames.create(name), value));
            byte[] body = request.body();
            try (HttpClientResponse response = body.length == 0 && request.method().equals("GET")
                    ? call.request()
                    : call.submit(body)) {
                metrics.outbound(pluginKey, Optional.of(response.status().code()));
                return new OutboundResponse(response.status().code(), headers(response), readBody(response));
            }
        } catch (IntegrationException e) {
            throw e;
        } catch (GuardedDnsResolver.ForbiddenAddressException e) {
            throw refused(e);
        } catch (RuntimeException e) {
            // Whatever else the HTTP client throws is the transport failing: an I/O error, a pooled connection the
            // target closed meanwhile (a reload, an idle time-out), an interrupted read. The target may answer next
            // time, so it is transient, not a bug of the plugin.
            metrics.outbound(pluginKey, Optional.empty());
            // Messages of network errors name the host at most; the URL itself may be a credential.
            throw new IntegrationException(ErrorType.TRANSIENT,
                    "could not reach " + host + ": " + describe(e), e);
        }
    }

    private void resolve(String host) {
        try {
            resolver.resolveAll(host);
        } catch (GuardedDnsResolver.UnresolvableHostException e) {
            // The client reports an unknown host as a bare IllegalArgumentException, so it is named here.
            throw new IntegrationException(ErrorType.TRANSIENT, "could not reach " + host + ": unknown host");
        } catch (GuardedDnsResolver.ForbiddenAddressException e) {
            throw refused(e);
        }
    }

    private static IntegrationException refused(GuardedDnsResolver.ForbiddenAddressException e) {
        return new IntegrationException(ErrorType.USER_CONFIGURATION_ERROR, "the target URL is not allowed: "
                + e.getMessage() + "; integrations may only reach public addresses");
    }

    /**
     * The target as the client should send it: path and query exactly as the plugin wrote them. Helidon would decode
     * and re-encode both (turning {@code %2F} into {@code /} and {@code %2B} into {@code +}), which breaks signed
     * webhook URLs, so encoding is skipped and each raw query pair is handed over as if it were decoded. One
     * difference remains: the client keeps query parameters in a hash map, so their order may change; the targets
     * we know read parameters by name.
     */
    private static ClientUri rawUri(URI uri) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        ClientUri target = ClientUri.create()
                .scheme(scheme)
                .host(uri.getHost())
                .port(uri.getPort() != -1 ? uri.getPort() : scheme.equals("https") ? 443 : 80)
                .skipUriEncoding(true)
                .path(uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath());
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                int equals = pair.indexOf('=');
                if (equals < 0) {
                    target.writeableQuery().add(pair, "");
                } else {
                    target.writeableQuery().add(pair.substring(0, equals), pair.substring(equals + 1));
                }
            }
        }
        return target;
    }

    private static boolean anyMatches(Set<String> allowedHosts, String host) {
        for (String allowed : allowedHosts) {
            if (matches(allowed, host)) {
                return true;
            }
        }
        return false;
    }

    /** Host names are compared without regard to case; {@code host} is in lower case already. */
    private static boolean matches(String allowed, String host) {
        if (allowed.startsWith("*.")) {
            int suffix = allowed.length() - 1;
            return host.length() >= suffix && host.regionMatches(true, host.length() - suffix, allowed, 1, suffix);
        }
        return allowed.equalsIgnoreCase(host);
    }

    private static Map<String, List<String>> headers(HttpClientResponse response) {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        response.headers().stream().forEach(header ->
                headers.computeIfAbsent(header.name(), name -> new ArrayList<>()).addAll(header.allValues()));
        return headers;
    }

    private String readBody(HttpClientResponse response) {
        try (InputStream in = response.inputStream()) {
            byte[] bytes = BoundedReads.readAtMost(in, maxResponseBody,
                    response.headers().contentLength().orElse(-1));
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String describe(Exception e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String kind = cause.getClass().getSimpleName();
        return switch (cause) {
            case java.net.ConnectException ignored -> "connection refused (" + kind + ")";
            case java.net.SocketTimeoutException ignored -> "no answer in time (" + kind + ")";
            case java.net.UnknownHostException ignored -> "unknown host";
            default -> kind;
        };
    }
}
