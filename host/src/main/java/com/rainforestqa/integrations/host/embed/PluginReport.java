package com.rainforestqa.integrations.host.embed;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What checking a plugin found, as {@code rainforest-integrations check} reports it.
 *
 * @param keys the keys of the integrations the plugin provides, ordered; empty when the host cannot load it
 * @param problems what is wrong: the reason the plugin cannot be loaded, events the host never sends, settings that
 *        look like credentials but are not secret, classes its code uses that its class loader cannot load
 * @param warnings what works but is probably not meant: bundled copies of what the host provides, a manifest
 *        without the API version
 */
public record PluginReport(List<String> keys, List<String> problems, List<String> warnings) {
    /** Copies the lists. */
    public PluginReport {
        keys = List.copyOf(requireNonNull(keys, "keys is null"));
        problems = List.copyOf(requireNonNull(problems, "problems is null"));
        warnings = List.copyOf(requireNonNull(warnings, "warnings is null"));
    }

    /** @return whether the host can load the plugin */
    public boolean loadable() {
        return !keys.isEmpty();
    }
}
