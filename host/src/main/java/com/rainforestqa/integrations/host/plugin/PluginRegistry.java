package com.rainforestqa.integrations.host.plugin;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One snapshot of the plugins the host serves: the integrations by key, the plugins they come from, and the plugin
 * files it had to skip. Immutable; thread-safe. When plugins change a new snapshot replaces this one.
 */
public final class PluginRegistry implements Closeable {
    private final List<LoadedPlugin> plugins;
    private final Map<String, LoadedIntegration> byKey;
    private final List<PluginFailure> failures;

    PluginRegistry(Collection<LoadedPlugin> plugins, Collection<PluginFailure> failures) {
        this.plugins = List.copyOf(plugins);
        Map<String, LoadedIntegration> sorted = new TreeMap<>();
        this.plugins.forEach(plugin -> plugin.integrations().forEach(loaded -> sorted.put(loaded.key(), loaded)));
        this.byKey = Collections.unmodifiableMap(sorted);
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

    /** @return the loaded plugins, ordered by file name */
    public List<LoadedPlugin> plugins() {
        return plugins;
    }

    /** @return the plugin files that were skipped, with the reasons */
    public List<PluginFailure> failures() {
        return failures;
    }

    /** Takes a reference on every plugin; false, holding none, when one of them is closed already. */
    boolean tryAcquire() {
        List<LoadedPlugin> acquired = new ArrayList<>(plugins.size());
        for (LoadedPlugin plugin : plugins) {
            if (!plugin.tryAcquire()) {
                acquired.forEach(LoadedPlugin::release);
                return false;
            }
            acquired.add(plugin);
        }
        return true;
    }

    /** Gives back the references {@link #tryAcquire()} took. */
    void release() {
        plugins.forEach(LoadedPlugin::release);
    }

    /**
     * Closes the plugins' class loaders now, releasing their jars.
     *
     * @throws IOException never; declared as {@link Closeable#close()} declares it, so that callers treat a registry
     *         as any other closeable
     */
    @Override
    public void close() throws IOException {
        plugins.forEach(LoadedPlugin::closeNow);
    }
}
