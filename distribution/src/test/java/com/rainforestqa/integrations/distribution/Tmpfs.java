package com.rainforestqa.integrations.distribution;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs mounted on a directory, for a store on a file system that fills up or cannot be written at all.
 * Mounting needs root, which the machines that run these tests give; without it the test fails, saying so, rather
 * than passing without having tried.
 */
final class Tmpfs implements AutoCloseable {
    private final Path mountPoint;

    private Tmpfs(Path mountPoint) {
        this.mountPoint = mountPoint;
    }

    /**
     * Mounts a tmpfs.
     *
     * @param mountPoint an existing, empty directory
     * @param options the mount options, such as {@code size=4m} or {@code size=1m,ro}
     * @return the mounted file system; close it to unmount
     * @throws AssertionError if {@code mount} fails, with its output
     */
    static Tmpfs mount(Path mountPoint, String options) {
        run(List.of("mount", "-t", "tmpfs", "-o", options, "tmpfs", mountPoint.toString()),
                "cannot mount a tmpfs on " + mountPoint + " (these tests run as root to do so)");
        return new Tmpfs(mountPoint);
    }

    /** @return where it is mounted */
    Path path() {
        return mountPoint;
    }

    /**
     * Fills what space is left with one file.
     *
     * @param name the file's name in the mount point
     * @return the file
     */
    Path fill(String name) {
        Path filler = mountPoint.resolve(name);
        byte[] chunk = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(chunk);
            }
        } catch (IOException e) {
            if (!String.valueOf(e.getMessage()).contains("No space left on device")) {
                throw new UncheckedIOException("cannot fill " + mountPoint, e);
            }
        }
        return filler;
    }

    /**
     * Unmounts, lazily if something still holds a file open there.
     *
     * @throws AssertionError if neither works
     */
    @Override
    public void close() {
        try {
            run(List.of("umount", mountPoint.toString()), "cannot unmount " + mountPoint);
        } catch (AssertionError e) {
            run(List.of("umount", "-l", mountPoint.toString()), "cannot unmount " + mountPoint + " lazily either");
        }
    }

    private static void run(List<String> command, String failure) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(failure + ": " + String.join(" ", command) + " did not finish in 30 s");
            }
            if (process.exitValue() != 0) {
                throw new AssertionError(failure + ": " + String.join(" ", command) + " exited with "
                        + process.exitValue() + ": " + output.strip());
            }
        } catch (IOException e) {
            throw new AssertionError(failure + ": cannot run " + String.join(" ", command) + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(failure + ": interrupted", e);
        }
    }
}
