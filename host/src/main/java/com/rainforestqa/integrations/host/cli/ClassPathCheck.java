package com.rainforestqa.integrations.host.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.objectweb.asm.ClassReader;

/**
 * Finds class-path mistakes in a plugin's jars before a delivery trips over them: copies of what the host provides
 * (never used, since the plugin's class loader takes those packages from the host), and classes the plugin's own code
 * refers to that its class loader cannot load (host classes, which plugins never see, or a dependency left out).
 *
 * <p>References are read from the class files' constant pools, the classes the code names to instantiate, call,
 * cast or access, without running anything. Only the jars that declare integrations are read for references: bundled
 * libraries often refer to optional dependencies they never reach.
 */
final class ClassPathCheck {
    static final String SERVICES = "META-INF/services/com.rainforestqa.integrations.api.Integration";

    /** Packages the host provides to every plugin, as the class files name them, with a name for messages. */
    private static final Map<String, String> HOST_PROVIDED = Map.of(
            "jakarta/json/bind/", "the JSON Binding API (jakarta.json.bind)",
            "jakarta/json/", "the JSON Processing API (jakarta.json)",
            "org/eclipse/parsson/", "the JSON Processing provider (org.eclipse.parsson)",
            "com/rainforestqa/integrations/api/", "the plugin API (com.rainforestqa.integrations.api)");

    private static final int CONSTANT_CLASS = 7;

    private ClassPathCheck() {
    }

    /**
     * What a check found.
     *
     * @param errors what fails at delivery
     * @param warnings what works, but not as the author meant
     */
    record Findings(List<String> errors, List<String> warnings) {
        Findings {
            errors = List.copyOf(errors);
            warnings = List.copyOf(warnings);
        }
    }

    /**
     * Checks a plugin's jars.
     *
     * @param source the plugin jar, or its directory of jars
     * @param pluginLoader the class loader the host gave the plugin
     * @param hostLoader the host's class loader, to tell host classes from missing ones
     * @return the findings
     */
    static Findings check(Path source, ClassLoader pluginLoader, ClassLoader hostLoader) {
        List<String> errors = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<Path> jars = jars(source);
        Set<String> defined = new HashSet<>();
        // Referenced class -> the plugin's classes that refer to it, both in internal form.
        Map<String, Set<String>> references = new TreeMap<>();
        for (Path jar : jars) {
            try (JarFile file = new JarFile(jar.toFile())) {
                boolean declaresIntegrations = file.getEntry(SERVICES) != null;
                Map<String, Integer> bundled = new TreeMap<>();
                for (Enumeration<JarEntry> entries = file.entries(); entries.hasMoreElements(); ) {
                    JarEntry entry = entries.nextElement();
                    String name = entry.getName();
                    if (!name.endsWith(".class") || name.startsWith("META-INF/") || name.endsWith("module-info.class")) {
                        continue;
                    }
                    String className = name.substring(0, name.length() - ".class".length());
                    defined.add(className);
                    String provided = hostProvided(className);
                    if (provided != null) {
                        bundled.merge(provided, 1, Integer::sum);
                    } else if (declaresIntegrations) {
                        try (InputStream in = file.getInputStream(entry)) {
                            for (String referenced : classReferences(in.readAllBytes())) {
                                references.computeIfAbsent(referenced, ignored -> new TreeSet<>()).add(className);
                            }
                        }
                    }
                }
                bundled.forEach((what, count) -> warnings.add(jar.getFileName() + " bundles " + count
                        + " class(es) of " + what + ", which the host provides: the plugin always gets the host's, so"
                        + " the copy is dead weight; give that dependency the provided scope"));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + jar, e);
            }
        }
        references.forEach((referenced, users) -> {
            if (defined.contains(referenced) || loads(referenced, pluginLoader)) {
                return;
            }
            String name = referenced.replace('/', '.');
            String why = loads(referenced, hostLoader)
                    ? "it is a class of the host, which plugins never see; bundle the library it comes from, or use "
                            + "only the plugin API, the Jakarta JSON APIs and the JDK"
                    : "no jar of the plugin has it; bundle the dependency it comes from (a plugin directory)";
            errors.add(name + " cannot be loaded by the plugin, but " + describe(users) + " use(s) it: " + why
                    + ". A delivery that reaches it fails with NoClassDefFoundError");
        });
        return new Findings(errors, warnings);
    }

    private static String describe(Set<String> users) {
        List<String> names = users.stream().limit(3).map(user -> user.replace('/', '.')).toList();
        return String.join(", ", names) + (users.size() > names.size()
                ? " and " + (users.size() - names.size()) + " more" : "");
    }

    private static String hostProvided(String className) {
        // The longest prefix names the package best: jakarta.json.bind before jakarta.json.
        return HOST_PROVIDED.entrySet().stream()
                .filter(entry -> className.startsWith(entry.getKey()))
                .max((a, b) -> Integer.compare(a.getKey().length(), b.getKey().length()))
                .map(Map.Entry::getValue)
                .orElse(null);
    }

    /** The classes a class file's constant pool names, arrays reduced to their element class. */
    static Set<String> classReferences(byte[] classFile) {
        ClassReader reader = new ClassReader(classFile);
        char[] buffer = new char[reader.getMaxStringLength()];
        Set<String> classes = new TreeSet<>();
        for (int i = 1; i < reader.getItemCount(); i++) {
            int offset = reader.getItem(i);
            // getItem points after the tag byte; 0 marks the unused slot after a long or double.
            if (offset == 0 || reader.readByte(offset - 1) != CONSTANT_CLASS) {
                continue;
            }
            String name = reader.readUTF8(offset, buffer);
            if (name.startsWith("[")) {
                int element = name.lastIndexOf('[') + 1;
                if (name.charAt(element) != 'L') {
                    continue;
                }
                name = name.substring(element + 1, name.length() - 1);
            }
            classes.add(name);
        }
        classes.remove(reader.getClassName());
        return classes;
    }

    private static boolean loads(String internalName, ClassLoader loader) {
        try {
            Class.forName(internalName.replace('/', '.'), false, loader);
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** The jars of a plugin: the jar itself, or the jars directly in its directory, as the loader takes them. */
    static List<Path> jars(Path source) {
        if (!Files.isDirectory(source)) {
            return List.of(source);
        }
        try (Stream<Path> files = Files.list(source)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".jar") && Files.isRegularFile(file))
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + source, e);
        }
    }
}
