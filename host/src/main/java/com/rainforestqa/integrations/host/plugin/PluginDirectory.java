package com.rainforestqa.integrations.host.plugin;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The plugins directory as the host serves it: the current {@link PluginRegistry}, replaced atomically when a poll
 * finds a plugin added, removed or changed.
 *
 * <p>Every jar, and every directory of jars, directly under the directory is a plugin; hidden files are skipped.
 * Plugins are loaded in file-name order, so when two plugins claim one key the first by name keeps it. At start
 * everything is loaded at once. Afterwards {@link #poll()} acts on a file only once it looks the same (size and
 * modification time of each jar) on two polls in a row, so a jar still being copied is not loaded half-written; a
 * file that stays broken is reported and tried again when it changes. Plugins run from private copies of their jars,
 * so a file may be overwritten or deleted while an older version of it is still finishing deliveries; at start, the
 * copies that killed processes left behind are removed.
 *
 * <p>A changed plugin is loaded next to the one serving; only when it loads does it take over, for new events. A
 * broken replacement leaves the previous version serving and is reported. Deliveries hold a {@link Lease} on the
 * registry they started with, so they finish with those plugin instances; a replaced or removed plugin's class loader
 * is closed when the last of them ends. Thread-safe; polls run one at a time.
 */
public final class PluginDirectory implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(PluginDirectory.class.getName());

    private final Path directory;
    private final PluginLoader loader;
    private final AtomicReference<PluginRegistry> current;
    private final List<LoadedPlugin> retired = new CopyOnWriteArrayList<>();
    private final Object polling = new Object();
    // Guarded by polling: what each file looked like on the last poll, and when it was last loaded or refused.
    private Map<Path, Fingerprint> seen = Map.of();
    private final Map<Path, Fingerprint> applied = new HashMap<>();
    private ScheduledExecutorService watcher;
    private volatile boolean closed;

    private PluginDirectory(Path directory, PluginLoader loader) {
        this.directory = directory;
        this.loader = loader;
        this.current = new AtomicReference<>(new PluginRegistry(List.of(), List.of()));
    }

    /**
     * Loads every plugin in a directory.
     *
     * @param directory the plugins directory; a missing directory means no plugins (until it appears)
     * @param loader loads one plugin
     * @param strict whether any failure is fatal
     * @return the directory, serving what it holds
     * @throws PluginLoadException in strict mode, when a plugin could not be loaded
     */
    public static PluginDirectory open(Path directory, PluginLoader loader, boolean strict) {
        PluginDirectory plugins = new PluginDirectory(requireNonNull(directory, "directory is null"),
                requireNonNull(loader, "loader is null"));
        loader.removeStaleCopies();
        synchronized (plugins.polling) {
            plugins.update(false);
        }
        List<PluginFailure> failures = plugins.current().failures();
        if (strict && !failures.isEmpty()) {
            plugins.close();
            throw PluginLoadException.strict(failures);
        }
        return plugins;
    }

    /** @return the registry serving now; for reading schemas, not for delivering (take a {@link #lease()}) */
    public PluginRegistry current() {
        return current.get();
    }

    /**
     * The registry serving now, with every plugin in it held open until the lease is closed.
     *
     * @return a lease; close it when the deliveries it serves are done
     * @throws IllegalStateException once the directory is closed
     */
    public Lease lease() {
        while (true) {
            if (closed) {
                throw new IllegalStateException("the plugins are closed");
            }
            PluginRegistry registry = current.get();
            if (registry.tryAcquire()) {
                return new Lease(registry);
            }
            // A plugin of that snapshot was retired and closed, so a newer snapshot is already published.
            if (current.get() == registry) {
                throw new IllegalStateException("the plugins are closed");
            }
        }
    }

    /**
     * Every plugin file found: loaded ones, refused ones with the reason, and replaced ones still finishing
     * deliveries.
     *
     * @return the inventory, ordered by file name
     */
    public List<PluginStatus> inventory() {
        PluginRegistry registry = current.get();
        List<PluginStatus> statuses = new ArrayList<>();
        registry.plugins().forEach(plugin -> statuses.add(new PluginStatus(plugin.source(), plugin.manifest(),
                plugin.keys(), PluginStatus.State.LOADED, Optional.empty())));
        retired.stream().filter(plugin -> !plugin.isClosed()).forEach(plugin -> statuses.add(new PluginStatus(
                plugin.source(), plugin.manifest(), plugin.keys(), PluginStatus.State.REPLACED, Optional.empty())));
        registry.failures().forEach(failure -> statuses.add(new PluginStatus(failure.source(), failure.manifest(),
                List.of(), PluginStatus.State.FAILED, Optional.of(failure.reason()))));
        statuses.sort(Comparator.comparing((PluginStatus status) -> status.source().getFileName().toString())
                .thenComparing(PluginStatus::state));
        return List.copyOf(statuses);
    }

    /**
     * Polls the directory every interval on a daemon thread, until {@link #close()}.
     *
     * @param interval the time between polls
     */
    public synchronized void watch(Duration interval) {
        if (watcher != null || closed) {
            return;
        }
        watcher = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("plugin-watcher").daemon().factory());
        watcher.scheduleWithFixedDelay(this::pollQuietly, interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
        LOG.log(System.Logger.Level.INFO, "Watching {0} for plugins added, removed or replaced", directory);
    }

    /** Looks at the directory once and applies what changed and has settled since the previous poll. */
    public void poll() {
        synchronized (polling) {
            if (!closed) {
                update(true);
            }
        }
    }

    private void pollQuietly() {
        try {
            poll();
        } catch (RuntimeException | LinkageError e) {
            // A poll must never kill the watcher: the next one tries again.
            LOG.log(System.Logger.Level.WARNING, "Could not poll the plugins directory " + directory, e);
        }
    }

    private void update(boolean waitForStableFiles) {
        Map<Path, Fingerprint> now;
        PluginFailure missing = null;
        if (Files.isDirectory(directory)) {
            now = scan();
            if (now == null) {
                return;
            }
        } else {
            now = Map.of();
            missing = new PluginFailure(directory, "plugins directory does not exist");
        }
        Map<Path, Fingerprint> previous = seen;
        seen = now;

        PluginRegistry old = current.get();
        Map<Path, LoadedPlugin> plugins = new TreeMap<>();
        old.plugins().forEach(plugin -> plugins.put(plugin.source(), plugin));
        Map<Path, PluginFailure> failures = new TreeMap<>();
        old.failures().stream().filter(failure -> !failure.source().equals(directory))
                .forEach(failure -> failures.put(failure.source(), failure));
        if (missing != null) {
            failures.put(directory, missing);
        }
        List<LoadedPlugin> outgoing = new ArrayList<>();

        Set<Path> removed = new TreeSet<>(applied.keySet());
        removed.removeAll(now.keySet());
        for (Path source : removed) {
            applied.remove(source);
            failures.remove(source);
            LoadedPlugin plugin = plugins.remove(source);
            if (plugin != null) {
                outgoing.add(plugin);
                LOG.log(System.Logger.Level.INFO, "Plugin {0} was removed: {1} no longer offered",
                        source.getFileName(), plugin.keys());
            }
        }
        Set<Path> changed = new TreeSet<>();
        now.forEach((source, fingerprint) -> {
            boolean settled = !waitForStableFiles || fingerprint.equals(previous.get(source));
            if (settled && !fingerprint.equals(applied.get(source))) {
                changed.add(source);
            }
        });
        if (!removed.isEmpty() || !changed.isEmpty()) {
            // A plugin refused for a key another one held may load now that the other is gone or changed.
            failures.keySet().stream().filter(source -> now.get(source) != null
                            && (!waitForStableFiles || now.get(source).equals(previous.get(source))))
                    .forEach(changed::add);
        }
        boolean wasMissing = old.failures().stream().anyMatch(failure -> failure.source().equals(directory));
        if (changed.isEmpty() && removed.isEmpty() && wasMissing == (missing != null)) {
            return;
        }
        for (Path source : changed) {
            applied.put(source, now.get(source));
            Optional<LoadedPlugin> loaded = loadOne(source, plugins, failures);
            loaded.ifPresent(plugin -> {
                LoadedPlugin replaced = plugins.put(source, plugin);
                failures.remove(source);
                if (replaced != null) {
                    outgoing.add(replaced);
                }
                LOG.log(System.Logger.Level.INFO, "Loaded plugin {0} (version {1}): {2}", source.getFileName(),
                        plugin.manifest().version().orElse("unknown"), plugin.keys());
            });
        }
        current.set(new PluginRegistry(plugins.values(), failures.values()));
        // Only after the new snapshot is published: a lease that misses a retired plugin then finds its successor.
        for (LoadedPlugin plugin : outgoing) {
            retired.add(plugin);
            plugin.retire();
        }
        retired.removeIf(LoadedPlugin::isClosed);
    }

    private Optional<LoadedPlugin> loadOne(Path source, Map<Path, LoadedPlugin> plugins,
                                           Map<Path, PluginFailure> failures) {
        LoadedPlugin plugin;
        try {
            plugin = loader.load(source);
        } catch (PluginLoadException problem) {
            refuse(failures, problem.failure(source), plugins.containsKey(source));
            return Optional.empty();
        }
        for (String key : plugin.keys()) {
            Optional<LoadedPlugin> owner = plugins.values().stream()
                    .filter(other -> !other.source().equals(source) && other.keys().contains(key))
                    .findFirst();
            if (owner.isPresent()) {
                plugin.closeNow();
                refuse(failures, new PluginFailure(source, "integration key \"" + key + "\" is already provided by "
                        + owner.get().source().getFileName(), plugin.manifest()), plugins.containsKey(source));
                return Optional.empty();
            }
        }
        return Optional.of(plugin);
    }

    private static void refuse(Map<Path, PluginFailure> failures, PluginFailure failure, boolean previousServes) {
        failures.put(failure.source(), failure);
        LOG.log(System.Logger.Level.WARNING, previousServes ? "Skipped plugin {0}; its previous version keeps serving"
                : "Skipped plugin {0}", failure);
    }

    /** @return the fingerprint of every candidate, or null when the directory cannot be listed right now */
    private Map<Path, Fingerprint> scan() {
        Map<Path, Fingerprint> found = new TreeMap<>();
        try {
            for (Path source : PluginLoader.candidates(directory)) {
                Fingerprint fingerprint = Fingerprint.of(source);
                if (fingerprint != null) {
                    found.put(source, fingerprint);
                }
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "Cannot list the plugins directory " + directory, e);
            return null;
        }
        return found;
    }

    /** Stops watching and closes every plugin's class loader. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            if (watcher != null) {
                watcher.shutdownNow();
            }
        }
        synchronized (polling) {
            current.get().plugins().forEach(LoadedPlugin::closeNow);
            retired.forEach(LoadedPlugin::closeNow);
            retired.clear();
        }
    }

    /**
     * A snapshot of the plugins held open for the deliveries of one request.
     */
    public static final class Lease implements AutoCloseable {
        private final PluginRegistry registry;
        private boolean released;

        private Lease(PluginRegistry registry) {
            this.registry = registry;
        }

        /** @return the snapshot this lease holds */
        public PluginRegistry registry() {
            return registry;
        }

        /** Lets the plugins go; a replaced one closes when its last lease does. */
        @Override
        public void close() {
            if (!released) {
                released = true;
                registry.release();
            }
        }
    }

    /** What a plugin file or directory looks like: each jar's name, size and modification time. */
    private record Fingerprint(List<String> jars) {
        static Fingerprint of(Path source) throws IOException {
            List<String> jars = new ArrayList<>();
            try {
                if (Files.isDirectory(source)) {
                    for (Path jar : PluginLoader.jarsIn(source)) {
                        jars.add(describe(jar));
                    }
                } else {
                    jars.add(describe(source));
                }
            } catch (java.nio.file.NoSuchFileException gone) {
                // Removed between listing and looking: as if never listed.
                return null;
            }
            return new Fingerprint(jars);
        }

        private static String describe(Path jar) throws IOException {
            BasicFileAttributes attributes = Files.readAttributes(jar, BasicFileAttributes.class);
            return jar.getFileName() + ":" + attributes.size() + ":" + attributes.lastModifiedTime().toMillis();
        }
    }
}
