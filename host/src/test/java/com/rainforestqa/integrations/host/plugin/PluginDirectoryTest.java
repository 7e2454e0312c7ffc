package com.rainforestqa.integrations.host.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.rainforestqa.integrations.host.testing.TestPlugins;

import java.io.IOException;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plugins added, removed and replaced while the host runs, polled by hand so that every step is deterministic. */
class PluginDirectoryTest {
    private static final Path OPEN_FILES = Path.of("/proc/self/fd");

    @TempDir
    Path plugins;
    @TempDir
    Path build;

    private PluginDirectory directory;

    @BeforeEach
    void open() {
        directory = PluginDirectory.open(plugins, new PluginLoader(), false);
    }

    @AfterEach
    void close() {
        directory.close();
    }

    @Test
    void newPluginIsLoadedOnceItLooksTheSameOnTwoPolls() {
        install("v1", "live.jar");

        directory.poll();
        assertThat(directory.current().find("live")).isEmpty();
        directory.poll();
        assertThat(version()).isEqualTo("v1");
        assertThat(directory.inventory()).singleElement().satisfies(status -> {
            assertThat(status.state()).isEqualTo(PluginStatus.State.LOADED);
            assertThat(status.keys()).containsExactly("live");
            assertThat(status.manifest().version()).contains("v1");
        });
    }

    @Test
    void jarStillBeingWrittenIsNotLoadedAndACopyThatStallsIsRetriedWhenComplete() throws IOException {
        byte[] jar = Files.readAllBytes(TestPlugins.live("v1").writeTo(build.resolve("live.jar")));
        Path target = plugins.resolve("live.jar");

        Files.write(target, Arrays.copyOf(jar, jar.length / 3));
        directory.poll();
        Files.write(target, Arrays.copyOf(jar, 2 * jar.length / 3));
        directory.poll();
        // Still growing: not even tried.
        assertThat(directory.inventory()).isEmpty();

        directory.poll();
        // The copy stalled across two polls: tried, refused, reported; nothing half-loaded serves.
        assertThat(directory.current().find("live")).isEmpty();
        assertThat(directory.inventory()).singleElement().satisfies(status -> {
            assertThat(status.state()).isEqualTo(PluginStatus.State.FAILED);
            assertThat(status.reason().orElseThrow()).startsWith("live.jar is not a readable jar");
        });

        Files.write(target, jar);
        directory.poll();
        directory.poll();
        assertThat(version()).isEqualTo("v1");
        assertThat(directory.inventory()).extracting(PluginStatus::state).containsExactly(PluginStatus.State.LOADED);
    }

    @Test
    void replacedPluginTakesOverAndTheOldClassLoaderClosesWhenItsLastDeliveryEnds() throws Exception {
        install("v1", "live.jar");
        settle();
        LoadedPlugin v1 = directory.current().plugins().getFirst();
        PluginDirectory.Lease inFlight = directory.lease();

        install("v2", "live.jar");
        settle();

        assertThat(version()).isEqualTo("v2");
        // The delivery that started with v1 still has v1, and v1 can still load its classes.
        assertThat(inFlight.registry().find("live").orElseThrow().integration().getClass().getClassLoader())
                .isSameAs(v1.integrations().getFirst().classLoader());
        assertThat(v1.isClosed()).isFalse();
        assertThat(directory.inventory()).extracting(PluginStatus::state, status -> status.manifest().version().orElse(""))
                .containsExactly(org.assertj.core.groups.Tuple.tuple(PluginStatus.State.LOADED, "v2"),
                        org.assertj.core.groups.Tuple.tuple(PluginStatus.State.REPLACED, "v1"));

        inFlight.close();

        assertThat(v1.isClosed()).isTrue();
        ClassLoader closed = v1.integrations().getFirst().classLoader();
        assertThatThrownBy(() -> closed.loadClass("test.live.Extra")).isInstanceOf(ClassNotFoundException.class);
        assertThat(directory.inventory()).extracting(PluginStatus::state).containsExactly(PluginStatus.State.LOADED);
        // The new version is not affected.
        assertThat(directory.current().find("live").orElseThrow().classLoader().loadClass("test.live.Extra"))
                .isNotNull();
    }

    @Test
    void pluginReplacedWithNoDeliveryRunningIsClosedAtOnce() {
        install("v1", "live.jar");
        settle();
        LoadedPlugin v1 = directory.current().plugins().getFirst();

        install("v2", "live.jar");
        settle();

        assertThat(v1.isClosed()).isTrue();
        assertThat(version()).isEqualTo("v2");
    }

    @Test
    void brokenReplacementLeavesThePreviousVersionServingAndIsReported() throws IOException {
        install("v1", "live.jar");
        settle();

        Files.writeString(plugins.resolve("live.jar"), "this is not a jar");
        settle();

        assertThat(version()).isEqualTo("v1");
        List<PluginStatus> inventory = directory.inventory();
        assertThat(inventory).extracting(PluginStatus::state)
                .containsExactly(PluginStatus.State.LOADED, PluginStatus.State.FAILED);
        assertThat(inventory.get(1).reason().orElseThrow()).startsWith("live.jar is not a readable jar");

        install("v3", "live.jar");
        settle();
        assertThat(version()).isEqualTo("v3");
        assertThat(directory.inventory()).extracting(PluginStatus::state).containsExactly(PluginStatus.State.LOADED);
    }

    @Test
    void removedPluginIsNoLongerOfferedAndItsClassLoaderIsClosed() throws IOException {
        install("v1", "live.jar");
        settle();
        LoadedPlugin v1 = directory.current().plugins().getFirst();

        Files.delete(plugins.resolve("live.jar"));
        directory.poll();

        assertThat(directory.current().find("live")).isEmpty();
        assertThat(directory.inventory()).isEmpty();
        assertThat(v1.isClosed()).isTrue();
    }

    @Test
    void newVersionUnderAnotherNameLoadsOnceTheOldOneIsRemoved() throws IOException {
        install("v1", "live-1.jar");
        settle();
        install("v2", "live-2.jar");
        settle();
        assertThat(version()).isEqualTo("v1");
        assertThat(directory.inventory()).filteredOn(status -> status.state() == PluginStatus.State.FAILED)
                .singleElement().satisfies(status -> assertThat(status.reason()).contains(
                        "integration key \"live\" is already provided by live-1.jar"));

        Files.delete(plugins.resolve("live-1.jar"));
        directory.poll();

        assertThat(version()).isEqualTo("v2");
        assertThat(directory.inventory()).extracting(PluginStatus::state).containsExactly(PluginStatus.State.LOADED);
    }

    @Test
    void jarsAreReadFromPrivateCopiesSoThePluginFileCanBeOverwrittenInPlace() throws Exception {
        install("v1", "live.jar");
        settle();
        PluginDirectory.Lease inFlight = directory.lease();
        ClassLoader v1 = inFlight.registry().find("live").orElseThrow().classLoader();

        // Overwritten in place (truncated and rewritten), as cp does.
        Files.write(plugins.resolve("live.jar"), Files.readAllBytes(TestPlugins.live("v2")
                .writeTo(build.resolve("v2.jar"))));
        settle();

        assertThat(version()).isEqualTo("v2");
        assertThat(v1.loadClass("test.live.Extra").getClassLoader()).isSameAs(v1);
        inFlight.close();
    }

    @Test
    void reloadingAPluginFiftyTimesLeavesNoFileDescriptorOpen() throws IOException {
        assumeTrue(Files.isDirectory(OPEN_FILES), "needs " + OPEN_FILES);
        Path v1 = TestPlugins.live("v1").writeTo(build.resolve("v1.jar"));
        Path v2 = TestPlugins.live("v2").writeTo(build.resolve("v2.jar"));
        installCopy(v1, 0);
        settle();
        List<String> before = openFiles();

        for (int reload = 1; reload <= 50; reload++) {
            installCopy(reload % 2 == 0 ? v1 : v2, reload);
            settle();
            assertThat(version()).isEqualTo(reload % 2 == 0 ? "v1" : "v2");
        }

        List<String> after = openFiles();
        List<String> opened = new ArrayList<>(after);
        before.forEach(opened::remove);
        // A little room for descriptors the JVM or the test runner open meanwhile; one per reload is far more.
        assertThat(after.size()).as("descriptors opened during the reloads and still open: %s", opened)
                .isLessThanOrEqualTo(before.size() + 5);
    }

    @Test
    void classLoadersOfReplacedVersionsCanBeCollected() throws Exception {
        List<WeakReference<ClassLoader>> replaced = reloadKeepingWeakReferences(10);

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (replaced.stream().anyMatch(reference -> reference.get() != null) && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(50);
        }

        assertThat(replaced).as("class loaders of replaced versions still reachable")
                .allSatisfy(reference -> assertThat(reference.get()).isNull());
        assertThat(directory.current().find("live").orElseThrow().classLoader().loadClass("test.live.Extra"))
                .isNotNull();
    }

    @Test
    void leaseAfterCloseIsRefused() {
        directory.close();

        assertThatThrownBy(directory::lease).isInstanceOf(IllegalStateException.class);
    }

    /** Writes the jar elsewhere and renames it into place, as an operator's mv does. */
    private void install(String version, String fileName) {
        Path built = TestPlugins.live(version).writeTo(build.resolve(version + "-" + fileName));
        try {
            Files.move(built, plugins.resolve(fileName), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Copies a built jar into place under a hidden name and renames it, with a modification time of its own, so that
     * every install is a change even when two versions have the same size.
     */
    private void installCopy(Path jar, int generation) throws IOException {
        Path hidden = plugins.resolve(".live.jar");
        Files.copy(jar, hidden, StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(hidden, FileTime.fromMillis(1_700_000_000_000L + generation * 1000L));
        Files.move(hidden, plugins.resolve("live.jar"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Installs the live plugin, then replaces it as many times as asked; a method of its own, so that no local
     * variable of the test's frame still holds a class loader when the test collects garbage.
     *
     * @return the class loaders of every version but the one serving
     */
    private List<WeakReference<ClassLoader>> reloadKeepingWeakReferences(int times) throws Exception {
        Path v1 = TestPlugins.live("v1").writeTo(build.resolve("v1.jar"));
        Path v2 = TestPlugins.live("v2").writeTo(build.resolve("v2.jar"));
        List<WeakReference<ClassLoader>> replaced = new ArrayList<>();
        for (int reload = 0; reload <= times; reload++) {
            if (reload > 0) {
                replaced.add(new WeakReference<>(directory.current().find("live").orElseThrow().classLoader()));
            }
            installCopy(reload % 2 == 0 ? v1 : v2, reload);
            settle();
            // Each version loads a class, as a delivery would, so the class loader holds classes when it closes.
            assertThat(directory.current().find("live").orElseThrow().classLoader().loadClass("test.live.Extra"))
                    .isNotNull();
        }
        return replaced;
    }

    /** @return what each open file descriptor of this process points to */
    private static List<String> openFiles() throws IOException {
        List<String> targets = new ArrayList<>();
        try (Stream<Path> descriptors = Files.list(OPEN_FILES)) {
            for (Path descriptor : descriptors.toList()) {
                try {
                    targets.add(Files.readSymbolicLink(descriptor).toString());
                } catch (IOException closedMeanwhile) {
                    // Another thread closed it after the listing: not open any more.
                }
            }
        }
        return targets;
    }

    /** Two polls: the first sees the change, the second sees it settled and applies it. */
    private void settle() {
        directory.poll();
        directory.poll();
    }

    private String version() {
        return directory.current().plugins().stream().filter(plugin -> plugin.keys().contains("live"))
                .map(plugin -> plugin.manifest().version().orElse("none")).findFirst().orElse("none");
    }
}
