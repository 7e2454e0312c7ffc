package com.rainforestqa.integrations.host.plugin;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * A plugin file the host could not load, and why.
 *
 * @param source the plugin file or directory
 * @param reason what was wrong, for the operator
 */
public record PluginFailure(Path source, String reason) {
    /** Checks the components. */
    public PluginFailure {
        requireNonNull(source, "source is null");
        requireNonNull(reason, "reason is null");
    }

    @Override
    public String toString() {
        return source.getFileName() + ": " + reason;
    }
}
