package com.rainforestqa.integrations.host.plugin;

import static java.util.Objects.requireNonNull;

import com.rainforestqa.integrations.api.Integration;

import java.nio.file.Path;

/**
 * An integration the host loaded, with what it needs to call it.
 *
 * @param integration the plugin's instance
 * @param schema the schema from the plugin's own jar
 * @param classLoader the plugin's class loader, to be the context class loader while the host calls into it
 * @param source the plugin file or directory it came from
 */
public record LoadedIntegration(Integration integration, IntegrationSchema schema, ClassLoader classLoader,
                                Path source) {
    /** Checks the components. */
    public LoadedIntegration {
        requireNonNull(integration, "integration is null");
        requireNonNull(schema, "schema is null");
        requireNonNull(classLoader, "classLoader is null");
        requireNonNull(source, "source is null");
    }

    /** @return the integration's key */
    public String key() {
        return schema.key();
    }
}
