package com.rainforestqa.integrations.host.http;

import com.rainforestqa.integrations.host.plugin.LoadedIntegration;
import com.rainforestqa.integrations.host.plugin.PluginDirectory;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.spi.JsonProvider;

/**
 * {@code GET /integrations} and {@code GET /integrations/{key}}: the schemas of the integrations loaded at the time of
 * the request.
 */
public final class IntegrationsService implements HttpService {
    /** Looked up once: each {@code Json.create...} call would look the provider up again. */
    private static final JsonProvider JSON = JsonProvider.provider();

    private final PluginDirectory plugins;

    /**
     * Serves the schemas of the plugins in a directory.
     *
     * @param plugins the plugins directory
     */
    public IntegrationsService(PluginDirectory plugins) {
        this.plugins = plugins;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::all)
                .get("/{key}", this::one)
                .any("/", MethodNotAllowed.allowing("GET"))
                .any("/{key}", MethodNotAllowed.allowing("GET"));
    }

    private void all(ServerRequest request, ServerResponse response) {
        JsonArrayBuilder all = JSON.createArrayBuilder();
        plugins.current().integrations().forEach(loaded -> all.add(loaded.schema().json()));
        JsonResponses.send(response, Status.OK_200, all.build());
    }

    private void one(ServerRequest request, ServerResponse response) {
        String key = request.path().pathParameters().get("key");
        LoadedIntegration loaded = plugins.current().find(key).orElseThrow(() -> new ApiError(Status.NOT_FOUND_404,
                "unsupported_integration", "no integration \"" + key + "\" is installed"));
        JsonResponses.send(response, Status.OK_200, loaded.schema().json());
    }
}
