package com.rainforestqa.integrations.host.http;

import io.helidon.http.HeaderValues;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/**
 * Closes the connection once a request with {@code Connection: close}, or an answer with it, has been answered, as
 * HTTP/1.1 requires (RFC 9112, section 9.6). Helidon 4.5's {@code Http1Connection.handle} sends the
 * {@code Connection: close} header but then waits for the next request line anyway (helidon-io/helidon#12324; 4.5.3
 * still does): a client that reads to the end of the connection, as HTTP/1.0-style clients and probes do, would wait
 * for the idle timeout. A {@link CloseConnectionException} thrown after the answer ends the connection quietly.
 *
 * <p>It sees the answers sent within the filter chain: those of the routes and their error handlers, and those of
 * the filters after it. So it is the first filter of every socket's routing, and a filter after it that refuses a
 * request sends its answer rather than throwing it to the routing's error handling, which runs outside the chain.
 */
public final class ConnectionClose implements Filter {
    @Override
    public void filter(FilterChain chain, RoutingRequest request, RoutingResponse response) {
        chain.proceed();
        if (response.isSent() && (request.headers().containsToken(HeaderValues.CONNECTION_CLOSE)
                || response.headers().containsToken(HeaderValues.CONNECTION_CLOSE))) {
            throw new CloseConnectionException("the connection was asked to close");
        }
    }
}
