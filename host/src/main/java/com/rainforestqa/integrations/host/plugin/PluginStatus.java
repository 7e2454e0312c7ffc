package com.rainforestqa.integrations.host.plugin;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One line of the plugin inventory ({@code GET /plugins}).
 *
 * @param source the plugin file or directory
 * @param manifest what its manifest says
 * @param keys the integration keys it provides (none when it failed)
 * @param state loaded, failed or replaced
 * @param reason why it failed
 */
public record PluginStatus(Path source, PluginManifest manifest, List<String> keys, State state,
                           Optional<String> reason) {
    /** Checks and copies the components. */
    public PluginStatus {
        requireNonNull(source, "source is null");
        requireNonNull(manifest, "manifest is null");
        keys = List.copyOf(keys);
        requireNonNull(state, "state is null");
        requireNonNull(reason, "reason is null");
    }

    /** Where a plugin file stands. */
    public enum State {
        /** Serving events. */
        LOADED,
        /** Replaced or removed; still finishing the deliveries that started with it. */
        REPLACED,
        /** Could not be loaded; a previous version of the same file, if any, keeps serving. */
        FAILED;

        /** @return the name used in JSON */
        public String json() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
