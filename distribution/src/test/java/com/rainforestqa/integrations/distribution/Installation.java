package com.rainforestqa.integrations.distribution;

import java.nio.file.Path;

/**
 * Where the build left the assembled installation and its archive; failsafe passes the paths as system properties.
 */
final class Installation {
    private Installation() {
    }

    /** The installation directory, {@code target/rainforest-integrations}. */
    static Path directory() {
        return path("installation.directory");
    }

    /** The start script. */
    static Path script() {
        return directory().resolve("bin").resolve("rainforest-integrations");
    }

    /** The archive, {@code target/rainforest-integrations-<version>.tar.gz}. */
    static Path archive() {
        return path("archive.file");
    }

    /** The project version the installation was built from. */
    static String version() {
        return property("project.version");
    }

    /** Where the tests write the output of the processes they start. */
    static Path logsDirectory() {
        return path("logs.directory");
    }

    private static Path path(String name) {
        return Path.of(property(name)).toAbsolutePath();
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + name + " is not set; run the tests with mvn verify");
        }
        return value;
    }
}
