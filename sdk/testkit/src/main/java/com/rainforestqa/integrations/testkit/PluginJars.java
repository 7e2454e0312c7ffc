package com.rainforestqa.integrations.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * Packs a plugin module's compiled classes and resources into a jar, so that tests, which run before Maven packages
 * the module, can load the plugin the way the host does: from a jar in a plugins directory.
 */
public final class PluginJars {
    private PluginJars() {
    }

    /**
     * Writes a jar of a module's output directory.
     *
     * @param classes the directory with compiled classes and resources, usually {@code target/classes}
     * @param jar the jar to write; parent directories are created
     * @return the jar
     * @throws UncheckedIOException if reading or writing fails
     */
    public static Path pack(Path classes, Path jar) {
        try {
            Files.createDirectories(jar.toAbsolutePath().getParent());
            List<Path> files;
            try (Stream<Path> walk = Files.walk(classes)) {
                files = walk.filter(Files::isRegularFile).sorted().toList();
            }
            try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
                for (Path file : files) {
                    out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                    Files.copy(file, out);
                    out.closeEntry();
                }
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot pack " + classes + " into " + jar, e);
        }
    }
}
