package com.rainforestqa.integrations.host.plugin;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * What a plugin's jar says about itself in its manifest.
 *
 * @param name {@code Implementation-Title}, else the file name without {@code .jar}
 * @param version {@code Implementation-Version}, when the jar has one
 * @param apiVersion the SPI version it was built against ({@code Rainforest-Integrations-Api-Version}), when declared
 */
public record PluginManifest(String name, Optional<String> version, Optional<String> apiVersion) {
    /** Checks the components. */
    public PluginManifest {
        requireNonNull(name, "name is null");
        requireNonNull(version, "version is null");
        requireNonNull(apiVersion, "apiVersion is null");
    }

    /**
     * A manifest naming the plugin only, for a file whose manifest could not be read.
     *
     * @param name the name
     * @return a manifest with no version and no API version
     */
    public static PluginManifest named(String name) {
        return new PluginManifest(name, Optional.empty(), Optional.empty());
    }
}
