package com.rainforestqa.integrations.host.http;

import com.rainforestqa.integrations.host.plugin.LoadedIntegration;
import com.rainforestqa.integrations.host.plugin.PluginRegistry;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;

/** {@code GET /integrations} and {@code GET /integrations/{key}}: the schemas of the loaded integrations. */
public final class IntegrationsService implements HttpService {
    private final PluginRegistry plugins;
    private final JsonArray schemas;

    /**
     * Serves the schemas of these plugins.
     *
     * @param plugins the loaded integrations
     */
    public IntegrationsService(PluginRegistry plugins) {
        this.plugins = plugins;
        JsonArrayBuilder all = Json.createArrayBuilder();
        plugins.integrations().forEach(loaded -> all.add(loaded.schema().json()));
        this.schemas = all.build();
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::all)
                .get("/{key}", this::one);
    }

    private void all(ServerRequest request, ServerResponse response) {
        JsonResponses.send(response, Status.OK_200, schemas);
    }

    private void one(ServerRequest request, ServerResponse response) {
        String key = request.path().pathParameters().get("key");
        LoadedIntegration loaded = plugins.find(key).orElseThrow(() -> new ApiError(Status.NOT_FOUND_404,
                "unsupported_integration", "no integration \"" + key + "\" is installed"));
        JsonResponses.send(response, Status.OK_200, loaded.schema().json());
    }
}
