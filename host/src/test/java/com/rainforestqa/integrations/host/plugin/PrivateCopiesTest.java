package com.rainforestqa.integrations.host.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import com.rainforestqa.integrations.host.testing.TestPlugins;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The private copies of plugin jars when several processes share one directory for them: a process killed with
 * {@code kill -9} leaves its copies behind, and the next start removes them, but never the copies of a process still
 * running. The other processes are real ones ({@link PluginDirectoryProcess}).
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class PrivateCopiesTest {
    @TempDir
    Path plugins;
    @TempDir
    Path copies;
    @TempDir
    Path logs;

    @BeforeEach
    void installPlugin() {
        TestPlugins.live("v1").writeTo(plugins.resolve("live.jar"));
    }

    @Test
    void copiesOfAKilledProcessAreRemovedAtStartAndThoseOfARunningOneAreKept() throws Exception {
        OtherProcess killed = OtherProcess.start(plugins, copies, logs.resolve("killed.log"));
        OtherProcess running = OtherProcess.start(plugins, copies, logs.resolve("running.log"));
        killed.process().destroyForcibly();
        assertThat(killed.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(killed.copies().resolve("live.jar")).as("what kill -9 leaves behind").isRegularFile();

        try (PluginDirectory directory = open()) {
            assertThat(killed.copies()).doesNotExist();
            assertThat(running.copies().resolve("live.jar")).isRegularFile();
            assertThat(running.process().isAlive()).isTrue();
            assertThat(directory.current().plugins().getFirst().privateCopies().resolve("live.jar")).isRegularFile();
        }

        running.stop();
        assertThat(copies).isEmptyDirectory();
    }

    @Test
    void copiesOfAProcessSurviveAnotherStartInItAndInAnotherProcess() throws Exception {
        try (PluginDirectory first = open(); PluginDirectory second = open()) {
            Path firstCopies = first.current().plugins().getFirst().privateCopies();
            Path secondCopies = second.current().plugins().getFirst().privateCopies();

            // The other process's start tries to lock every copy it finds: the second start in this process must
            // not have let go of the first one's lock.
            OtherProcess.start(plugins, copies, logs.resolve("other.log")).stop();

            assertThat(firstCopies.resolve("live.jar")).isRegularFile();
            assertThat(secondCopies.resolve("live.jar")).isRegularFile();
        }
        assertThat(copies).isEmptyDirectory();
    }

    @Test
    void directoryWithoutALockIsLeftAlone() throws IOException {
        // What a process making a copy shows before its lock is in place.
        Path inTheMaking = Files.createDirectory(copies.resolve("rainforest-plugin-1-123"));
        Files.writeString(inTheMaking.resolve(".lock-456.pending"), "");

        open().close();

        assertThat(inTheMaking.resolve(".lock-456.pending")).isRegularFile();
    }

    @Test
    void closedPluginLeavesNoCopyBehind() {
        try (PluginDirectory directory = open()) {
            assertThat(directory.current().plugins().getFirst().privateCopies()).isDirectory();
        }

        assertThat(copies).isEmptyDirectory();
    }

    private PluginDirectory open() {
        return PluginDirectory.open(plugins, new PluginLoader(PluginLoader.class.getClassLoader(),
                new PrivateCopies(copies)), true);
    }

    /** A {@link PluginDirectoryProcess} that loaded the one plugin, and where its private copy is. */
    private record OtherProcess(Process process, Path copies) {
        static OtherProcess start(Path plugins, Path copies, Path log) throws IOException, InterruptedException {
            Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), PluginDirectoryProcess.class.getName(),
                    plugins.toString(), copies.toString())
                    .redirectError(log.toFile())
                    .start();
            BufferedReader out = process.inputReader();
            String line = out.readLine();
            if (line == null) {
                process.waitFor(30, TimeUnit.SECONDS);
                throw new AssertionError("the other process loaded nothing: " + Files.readString(log));
            }
            return new OtherProcess(process, Path.of(line));
        }

        void stop() throws Exception {
            process.getOutputStream().close();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).isZero();
        }
    }
}
