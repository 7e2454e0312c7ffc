package com.rainforestqa.integrations.host.plugin;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A plugin could not be loaded; the message says why, for the operator, and names no secrets.
 *
 * <p>{@link PluginLoader#load} throws it for the one plugin it was asked to load, and {@link PluginDirectory#open}
 * in strict mode for all the plugins of the directory that failed. The plugins directory reports each plugin it
 * skips as a {@link PluginFailure} instead of throwing.
 */
public final class PluginLoadException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private transient PluginManifest manifest;

    PluginLoadException(String message) {
        super(message);
    }

    PluginLoadException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Strict mode refuses to start when any plugin failed: the message lists them all. */
    static PluginLoadException strict(List<PluginFailure> failures) {
        return new PluginLoadException("could not load plugins (integrations.plugins.strict is true): "
                + failures.stream().map(PluginFailure::toString).collect(Collectors.joining("; ")));
    }

    /** Names what the plugin's manifest says, when it was read before the problem; the first one named stays. */
    PluginLoadException withManifest(PluginManifest found) {
        if (manifest == null) {
            manifest = found;
        }
        return this;
    }

    /** The failure of {@code source} as the plugins directory reports it, with the manifest when it was read. */
    PluginFailure failure(Path source) {
        return manifest == null ? new PluginFailure(source, getMessage())
                : new PluginFailure(source, getMessage(), manifest);
    }
}
