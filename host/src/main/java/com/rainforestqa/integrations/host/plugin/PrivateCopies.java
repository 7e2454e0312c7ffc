package com.rainforestqa.integrations.host.plugin;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * Where plugin class loaders read their jars from: private copies, so that an operator may overwrite or delete a
 * plugin file while the version loaded from it still finishes deliveries.
 *
 * <p>Each loaded plugin gets a directory {@code rainforest-plugin-<pid>-<random>} under one parent (the system's
 * temporary directory unless a test says otherwise) holding its jars and a file {@code .lock}, which the process keeps
 * locked until it has deleted the jars. A process killed with {@code kill -9} cannot delete its copies, but the
 * operating system releases its locks, so {@link #removeStale()} deletes every copy whose lock it can take. Several
 * processes may share the parent: the lock, not the process id, says whether the owner lives, because a process id
 * from another container sharing the directory may be one this process cannot see. The process id in the name tells
 * an operator whose copy it is, and lets this process skip its own copies without opening their lock files: closing
 * any descriptor of a file drops every record lock the process holds on it.
 */
final class PrivateCopies {
    private static final System.Logger LOG = System.getLogger(PrivateCopies.class.getName());
    private static final String PREFIX = "rainforest-plugin-";
    private static final String LOCK = ".lock";

    private final Path parent;
    private final String ownPrefix;

    PrivateCopies(Path parent) {
        this.parent = requireNonNull(parent, "parent is null");
        this.ownPrefix = PREFIX + ProcessHandle.current().pid() + "-";
    }

    /** @return copies kept in the system's temporary directory, {@code java.io.tmpdir} */
    static PrivateCopies inTemporaryDirectory() {
        return new PrivateCopies(Path.of(System.getProperty("java.io.tmpdir")));
    }

    /**
     * Copies jars into a new locked directory of their own.
     *
     * @param jars the jars; their file names must differ
     * @return the copy; close it to delete it
     * @throws IOException when the directory cannot be made or a jar cannot be copied; nothing is left behind then
     */
    Copy copy(List<Path> jars) throws IOException {
        Path directory = Files.createTempDirectory(parent, ownPrefix);
        FileChannel lock = null;
        try {
            // Locked under a name of its own first, then renamed: another process's removeStale() sees a .lock
            // only once it is held, and leaves a directory without one alone.
            Path pending = Files.createTempFile(directory, LOCK + "-", ".pending");
            lock = FileChannel.open(pending, StandardOpenOption.WRITE);
            lock.lock();
            Files.move(pending, directory.resolve(LOCK), StandardCopyOption.ATOMIC_MOVE);
            for (Path jar : jars) {
                Files.copy(jar, directory.resolve(jar.getFileName().toString()));
            }
            return new Copy(directory, lock);
        } catch (IOException | RuntimeException e) {
            delete(directory, lock);
            throw e;
        }
    }

    /**
     * Deletes the copies of processes that are gone: every directory named as a copy, not this process's, whose lock
     * file can be locked. One whose lock another process holds is kept, and so is one without a lock file, which is
     * being made right now or is not a copy. Never throws: what cannot be deleted now is tried again at the next
     * start.
     *
     * @return how many were deleted
     */
    int removeStale() {
        List<Path> candidates;
        try (Stream<Path> entries = Files.list(parent)) {
            candidates = entries.filter(path -> path.getFileName().toString().startsWith(PREFIX))
                    .filter(path -> !path.getFileName().toString().startsWith(ownPrefix))
                    .filter(path -> Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS))
                    .toList();
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "Cannot look for stale plugin copies in " + parent, e);
            return 0;
        }
        int removed = 0;
        for (Path directory : candidates) {
            if (removeIfStale(directory)) {
                removed++;
            }
        }
        if (removed > 0) {
            LOG.log(System.Logger.Level.INFO, "Removed {0} private copies of plugin jars left in {1} by processes "
                    + "that are gone", removed, parent);
        }
        return removed;
    }

    private static boolean removeIfStale(Path directory) {
        FileChannel channel;
        try {
            channel = FileChannel.open(directory.resolve(LOCK), StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            // Another user's, for one: not this process's to delete.
            LOG.log(System.Logger.Level.DEBUG, "Cannot open the lock of " + directory, e);
            return false;
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (IOException | OverlappingFileLockException e) {
            LOG.log(System.Logger.Level.DEBUG, "Cannot lock " + directory, e);
            lock = null;
        }
        if (lock == null) {
            closeQuietly(channel);
            return false;
        }
        return delete(directory, channel);
    }

    /**
     * Deletes a copy whose lock this process holds, and releases the lock. The lock file goes last, so that a copy
     * only partly deleted still looks like one and is removed at the next start.
     *
     * @param lock the locked channel, or null when the copy failed before it was locked
     */
    private static boolean delete(Path directory, FileChannel lock) {
        Path lockFile = directory.resolve(LOCK);
        boolean emptied = false;
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.filter(file -> !file.equals(directory) && !file.equals(lockFile))
                    .sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
            Files.deleteIfExists(lockFile);
            emptied = true;
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "Could not delete the plugin copies in " + directory
                    + "; the next start tries again", e);
        }
        if (lock != null) {
            closeQuietly(lock);
        }
        if (emptied) {
            deleteQuietly(directory);
        }
        return emptied;
    }

    private static void deleteQuietly(Path directory) {
        try {
            Files.deleteIfExists(directory);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "Could not delete " + directory, e);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "Could not close a plugin copy's lock", e);
        }
    }

    /** The private copy of one loaded plugin's jars, locked while it exists. Thread-safe. */
    static final class Copy implements AutoCloseable {
        private final Path directory;
        private final FileChannel lock;
        private final AtomicBoolean closed = new AtomicBoolean();

        private Copy(Path directory, FileChannel lock) {
            this.directory = directory;
            this.lock = lock;
        }

        /** @return the directory holding the copies */
        Path directory() {
            return directory;
        }

        /**
         * The copy of one of the jars.
         *
         * @param jar an original jar
         * @return its copy
         */
        Path of(Path jar) {
            return directory.resolve(jar.getFileName().toString());
        }

        /** Deletes the copies and releases the lock; call once nothing reads them. Idempotent; never throws. */
        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                delete(directory, lock);
            }
        }
    }
}
