package com.rainforestqa.integrations.host.plugin;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * A plugin file the host could not load, and why.
 *
 * @param source the plugin file or directory
 * @param reason what was wrong, for the operator
 * @param manifest what the file's manifest says, as far as it could be read
 */
public record PluginFailure(Path source, String reason, PluginManifest manifest) {
    /** Checks the components. */
    public PluginFailure {
        requireNonNull(source, "source is null");
        requireNonNull(reason, "reason is null");
        requireNonNull(manifest, "manifest is null");
    }

    /**
     * A failure of a file whose manifest is unknown.
     *
     * @param source the plugin file or directory
     * @param reason what was wrong
     */
    public PluginFailure(Path source, String reason) {
        this(source, reason, PluginManifest.named(String.valueOf(source.getFileName())));
    }

    @Override
    public String toString() {
        return source.getFileName() + ": " + reason;
    }
}
