package com.rainforestqa.integrations.host.plugin;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One loaded generation of one plugin file: its integrations, sharing one class loader.
 *
 * <p>Deliveries hold a reference while they use the plugin ({@link #tryAcquire()}, {@link #release()}); the registry
 * that serves the plugin holds one more. When the plugin is replaced or removed it is {@link #retire() retired}: no
 * new reference can be taken once the last one is released, and then its class loader is closed, so its jars are not
 * held open. Thread-safe.
 */
public final class LoadedPlugin {
    private static final System.Logger LOG = System.getLogger(LoadedPlugin.class.getName());

    private final Path source;
    private final PluginManifest manifest;
    private final List<LoadedIntegration> integrations;
    private final URLClassLoader classLoader;
    private final PrivateCopies.Copy copies;
    // The serving registry's reference plus one per delivery in flight; 0 means closed for good.
    private final AtomicInteger references = new AtomicInteger(1);
    private final AtomicBoolean retired = new AtomicBoolean();

    LoadedPlugin(Path source, PluginManifest manifest, List<LoadedIntegration> integrations,
                 URLClassLoader classLoader, PrivateCopies.Copy copies) {
        this.source = requireNonNull(source, "source is null");
        this.manifest = requireNonNull(manifest, "manifest is null");
        this.integrations = List.copyOf(integrations);
        this.classLoader = requireNonNull(classLoader, "classLoader is null");
        this.copies = requireNonNull(copies, "copies is null");
    }

    /** @return the plugin file or directory */
    public Path source() {
        return source;
    }

    /** @return what the plugin's manifest says */
    public PluginManifest manifest() {
        return manifest;
    }

    /** @return its integrations */
    public List<LoadedIntegration> integrations() {
        return integrations;
    }

    /** @return the keys of its integrations */
    public List<String> keys() {
        return integrations.stream().map(LoadedIntegration::key).toList();
    }

    /** @return whether it was replaced or removed */
    public boolean isRetired() {
        return retired.get();
    }

    /** @return whether its class loader is closed: retired and no delivery uses it any more */
    public boolean isClosed() {
        return references.get() <= 0;
    }

    /**
     * Takes a reference for a delivery.
     *
     * @return false when the plugin is already closed; the caller then looks it up again
     */
    boolean tryAcquire() {
        while (true) {
            int count = references.get();
            if (count <= 0) {
                return false;
            }
            if (references.compareAndSet(count, count + 1)) {
                return true;
            }
        }
    }

    /** Gives back a reference; the last one closes the class loader. */
    void release() {
        if (references.decrementAndGet() == 0) {
            closeLoader();
        }
    }

    /** Drops the serving registry's reference: the class loader closes once no delivery uses it. Idempotent. */
    void retire() {
        if (retired.compareAndSet(false, true)) {
            release();
        }
    }

    /** Closes the class loader now, whatever still uses it, and deletes the jar copies; for shutdown and tools. */
    public void closeNow() {
        retired.set(true);
        if (references.getAndSet(0) > 0) {
            closeLoader();
        }
    }

    private void closeLoader() {
        try {
            classLoader.close();
            LOG.log(System.Logger.Level.DEBUG, "Closed the class loader of {0}", source.getFileName());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "Could not close the class loader of " + source.getFileName(), e);
        }
        copies.close();
    }

    /** @return the directory of the private copies of its jars; deleted once it is closed */
    Path privateCopies() {
        return copies.directory();
    }

    @Override
    public String toString() {
        return source.getFileName() + " " + keys();
    }
}
