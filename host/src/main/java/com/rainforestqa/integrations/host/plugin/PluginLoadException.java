package com.rainforestqa.integrations.host.plugin;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown in strict mode when any plugin could not be loaded; the message lists them all. */
public final class PluginLoadException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    PluginLoadException(List<PluginFailure> failures) {
        super("could not load plugins (integrations.plugins.strict is true): "
                + failures.stream().map(PluginFailure::toString).collect(Collectors.joining("; ")));
    }
}
