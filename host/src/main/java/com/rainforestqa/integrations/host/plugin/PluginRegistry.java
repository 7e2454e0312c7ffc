package com.rainforestqa.integrations.host.plugin;

import java.io.Closeable;
import java.io.IOException;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** The integrations the host loaded, by key, and the plugin files it had to skip. Immutable; thread-safe. */
public final class PluginRegistry implements Closeable {
    private final Map<String, LoadedIntegration> byKey;
    private final List<PluginFailure> failures;

    PluginRegistry(Collection<LoadedIntegration> integrations, List<PluginFailure> failures) {
        Map<String, LoadedIntegration> sorted = new TreeMap<>();
        integrations.forEach(loaded -> sorted.put(loaded.key(), loaded));
        this.byKey = java.util.Collections.unmodifiableMap(sorted);
        this.failures = List.copyOf(failures);
    }

    /**
     * The integration with this key.
     *
     * @param key the key from a request
     * @return the integration, or empty when no loaded plugin has the key
     */
    public Optional<LoadedIntegration> find(String key) {
        return Optional.ofNullable(byKey.get(key));
    }

    /** @return every loaded integration, ordered by key */
    public Collection<LoadedIntegration> integrations() {
        return byKey.values();
    }

    /** @return the plugin files that were skipped, with the reasons */
    public List<PluginFailure> failures() {
        return failures;
    }

    /** Closes the plugins' class loaders, releasing their jars. */
    @Override
    public void close() throws IOException {
        Set<ClassLoader> closed = new HashSet<>();
        for (LoadedIntegration loaded : byKey.values()) {
            if (closed.add(loaded.classLoader()) && loaded.classLoader() instanceof Closeable closeable) {
                closeable.close();
            }
        }
    }
}
