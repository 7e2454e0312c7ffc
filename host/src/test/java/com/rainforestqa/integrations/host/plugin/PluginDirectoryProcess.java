package com.rainforestqa.integrations.host.plugin;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Another process opening a plugins directory as the host does at start, for tests of what processes sharing a
 * directory of private copies do to each other. Arguments: the plugins directory and the parent of the private
 * copies. Prints the private copy directory of each plugin it loaded, one a line, then holds the plugins until its
 * standard input ends, and closes them.
 */
final class PluginDirectoryProcess {
    private PluginDirectoryProcess() {
    }

    public static void main(String[] args) throws IOException {
        PluginLoader loader = new PluginLoader(PluginLoader.class.getClassLoader(),
                new PrivateCopies(Path.of(args[1])));
        try (PluginDirectory directory = PluginDirectory.open(Path.of(args[0]), loader, true)) {
            directory.current().plugins().forEach(plugin -> System.out.println(plugin.privateCopies()));
            System.out.flush();
            while (System.in.read() >= 0) {
                // Held until the test closes this process's standard input.
            }
        }
    }
}
