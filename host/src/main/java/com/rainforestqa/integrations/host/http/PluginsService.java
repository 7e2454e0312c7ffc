package com.rainforestqa.integrations.host.http;

import com.rainforestqa.integrations.api.ApiVersion;
import com.rainforestqa.integrations.host.plugin.PluginDirectory;
import com.rainforestqa.integrations.host.plugin.PluginStatus;

import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.spi.JsonProvider;

/** {@code GET /plugins}: every plugin file found, with its version, the SPI version it needs, and its status. */
public final class PluginsService implements HttpService {
    /** Looked up once: each {@code Json.create...} call would look the provider up again. */
    private static final JsonProvider JSON = JsonProvider.provider();

    private static final String UNKNOWN = "unknown";

    private final PluginDirectory plugins;

    /**
     * Serves the inventory of a plugins directory.
     *
     * @param plugins the plugins directory
     */
    public PluginsService(PluginDirectory plugins) {
        this.plugins = plugins;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::inventory);
    }

    private void inventory(ServerRequest request, ServerResponse response) {
        JsonArrayBuilder list = JSON.createArrayBuilder();
        for (PluginStatus status : plugins.inventory()) {
            JsonObjectBuilder plugin = JSON.createObjectBuilder()
                    .add("file", String.valueOf(status.source().getFileName()))
                    .add("name", status.manifest().name())
                    .add("version", status.manifest().version().orElse(UNKNOWN))
                    .add("api_version", status.manifest().apiVersion().orElse(UNKNOWN))
                    .add("integrations", JSON.createArrayBuilder(status.keys()))
                    .add("status", status.state().json());
            status.reason().ifPresent(reason -> plugin.add("reason", reason));
            list.add(plugin);
        }
        JsonResponses.send(response, Status.OK_200, JSON.createObjectBuilder()
                .add("api_version", ApiVersion.CURRENT)
                .add("plugins", list)
                .build());
    }
}
