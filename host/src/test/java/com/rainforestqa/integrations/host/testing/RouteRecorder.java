package com.rainforestqa.integrations.host.testing;

import io.helidon.http.Method;
import io.helidon.webserver.http.ErrorHandler;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpFeature;
import io.helidon.webserver.http.HttpRoute;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.HttpSecurity;
import io.helidon.webserver.http.HttpService;

import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * A routing builder that records the routes registered on it, as {@code "GET /integrations/{key}"}, instead of
 * building a routing; a catch-all is recorded as {@code "ANY *"}. Routes it cannot name fail the test.
 */
public final class RouteRecorder implements HttpRouting.Builder {
    private final String prefix;
    private final Set<String> routes;

    /** A recorder for a whole routing. */
    public RouteRecorder() {
        this("", new TreeSet<>());
    }

    private RouteRecorder(String prefix, Set<String> routes) {
        this.prefix = prefix;
        this.routes = routes;
    }

    /** @return the recorded routes, sorted */
    public Set<String> routes() {
        return Set.copyOf(routes);
    }

    private RouteRecorder record(String method, String path) {
        String full = prefix + (path.equals("/") ? "" : path);
        routes.add(method + " " + (full.isEmpty() ? "/" : full));
        return this;
    }

    @Override
    public HttpRouting.Builder register(HttpService... services) {
        for (HttpService service : services) {
            service.routing(this);
        }
        return this;
    }

    @Override
    public HttpRouting.Builder register(String path, HttpService... services) {
        RouteRecorder nested = new RouteRecorder(prefix + path, routes);
        for (HttpService service : services) {
            service.routing(nested);
        }
        return this;
    }

    @Override
    public HttpRouting.Builder route(HttpRoute route) {
        throw new IllegalStateException("a route the recorder cannot name was registered under " + prefix);
    }

    @Override
    public HttpRouting.Builder get(String path, Handler... handlers) {
        return record(Method.GET.text(), path);
    }

    @Override
    public HttpRouting.Builder post(String path, Handler... handlers) {
        return record(Method.POST.text(), path);
    }

    @Override
    public HttpRouting.Builder put(String path, Handler... handlers) {
        return record(Method.PUT.text(), path);
    }

    @Override
    public HttpRouting.Builder delete(String path, Handler... handlers) {
        return record(Method.DELETE.text(), path);
    }

    @Override
    public HttpRouting.Builder patch(String path, Handler... handlers) {
        return record(Method.PATCH.text(), path);
    }

    @Override
    public HttpRouting.Builder options(String path, Handler... handlers) {
        return record(Method.OPTIONS.text(), path);
    }

    @Override
    public HttpRouting.Builder head(String path, Handler... handlers) {
        return record(Method.HEAD.text(), path);
    }

    @Override
    public HttpRouting.Builder any(String path, Handler... handlers) {
        return record("ANY", path);
    }

    @Override
    public HttpRouting.Builder any(Handler... handlers) {
        routes.add("ANY " + (prefix.isEmpty() ? "*" : prefix + "/*"));
        return this;
    }

    @Override
    public HttpRouting.Builder addFilter(Filter filter) {
        return this;
    }

    @Override
    public HttpRouting.Builder addFeature(Supplier<? extends HttpFeature> feature) {
        feature.get().setup(this);
        return this;
    }

    @Override
    public <T extends Throwable> HttpRouting.Builder error(Class<T> exceptionClass, ErrorHandler<? super T> handler) {
        return this;
    }

    @Override
    public HttpRouting.Builder maxReRouteCount(int maxReRouteCount) {
        return this;
    }

    @Override
    public HttpRouting.Builder security(HttpSecurity security) {
        return this;
    }

    @Override
    public HttpRouting.Builder copy() {
        throw new UnsupportedOperationException();
    }

    @Override
    public HttpRouting build() {
        throw new UnsupportedOperationException("the recorder only records");
    }
}
