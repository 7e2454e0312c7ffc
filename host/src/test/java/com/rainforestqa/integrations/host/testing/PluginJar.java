package com.rainforestqa.integrations.host.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Builds real plugin jars in tests: Java sources compiled with the JDK's compiler against the test class path,
 * plus resources (service files, schemas), written as a jar.
 */
public final class PluginJar {
    private final Map<String, String> sources = new LinkedHashMap<>();
    private final Map<String, byte[]> resources = new LinkedHashMap<>();
    private final Map<String, String> manifest = new LinkedHashMap<>();
    private final java.util.Set<String> leftOut = new java.util.HashSet<>();

    /** @return an empty jar builder */
    public static PluginJar builder() {
        return new PluginJar();
    }

    /**
     * Adds a Java source file.
     *
     * @param className the fully qualified class name
     * @param code the source
     * @return this builder
     */
    public PluginJar source(String className, String code) {
        sources.put(className, code);
        return this;
    }

    /**
     * Adds a resource.
     *
     * @param path the path inside the jar
     * @param content the text
     * @return this builder
     */
    public PluginJar resource(String path, String content) {
        resources.put(path, content.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /**
     * Adds a file with binary content, such as a class file copied from the test class path.
     *
     * @param path the path inside the jar
     * @param content the bytes
     * @return this builder
     */
    public PluginJar entry(String path, byte[] content) {
        resources.put(path, content.clone());
        return this;
    }

    /**
     * Compiles a class with the others but leaves it out of the jar, as a dependency the plugin forgot to ship.
     *
     * @param className the fully qualified name of one of the sources
     * @return this builder
     */
    public PluginJar leaveOut(String className) {
        leftOut.add(className);
        return this;
    }

    /**
     * Registers implementations of the SPI in {@code META-INF/services}.
     *
     * @param classNames the implementation classes
     * @return this builder
     */
    public PluginJar integrations(String... classNames) {
        return resource("META-INF/services/com.rainforestqa.integrations.api.Integration",
                String.join("\n", classNames) + "\n");
    }

    /**
     * Adds a schema file for a key.
     *
     * @param key the integration key the file is named after
     * @param yaml the schema
     * @return this builder
     */
    public PluginJar schema(String key, String yaml) {
        return resource("META-INF/integrations/" + key + ".yaml", yaml);
    }

    /**
     * Adds a main attribute to the jar's manifest.
     *
     * @param name the attribute, such as {@code Implementation-Version}
     * @param value its value
     * @return this builder
     */
    public PluginJar manifest(String name, String value) {
        manifest.put(name, value);
        return this;
    }

    /**
     * Compiles the sources and writes the jar.
     *
     * @param file where to write it
     * @return the file
     */
    public Path writeTo(Path file) {
        Map<String, byte[]> entries = new LinkedHashMap<>(compile());
        entries.putAll(resources);
        try {
            Files.createDirectories(file.getParent());
            Manifest written = new Manifest();
            written.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
            manifest.forEach((name, value) -> written.getMainAttributes().put(new Attributes.Name(name), value));
            try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(file), written)) {
                for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                    jar.putNextEntry(new JarEntry(entry.getKey()));
                    jar.write(entry.getValue());
                    jar.closeEntry();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    private Map<String, byte[]> compile() {
        if (sources.isEmpty()) {
            return Map.of();
        }
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        StandardJavaFileManager standard = compiler.getStandardFileManager(null, null, StandardCharsets.UTF_8);
        Map<String, ByteArrayOutputStream> classes = new LinkedHashMap<>();
        ForwardingJavaFileManager<StandardJavaFileManager> manager = new ForwardingJavaFileManager<>(standard) {
            @Override
            public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind,
                                                       FileObject sibling) {
                return new SimpleJavaFileObject(URI.create("mem:///" + className.replace('.', '/') + ".class"), kind) {
                    @Override
                    public OutputStream openOutputStream() {
                        return classes.computeIfAbsent(className, name -> new ByteArrayOutputStream());
                    }
                };
            }
        };
        List<JavaFileObject> units = new ArrayList<>();
        sources.forEach((className, code) -> units.add(
                new SimpleJavaFileObject(URI.create("string:///" + className.replace('.', '/') + ".java"),
                        JavaFileObject.Kind.SOURCE) {
                    @Override
                    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                        return code;
                    }
                }));
        DiagnosticCollector<JavaFileObject> errors = new DiagnosticCollector<>();
        boolean ok = compiler.getTask(null, manager, errors,
                List.of("-classpath", System.getProperty("java.class.path"), "-proc:none"), null, units).call();
        if (!ok) {
            throw new IllegalStateException("test plugin does not compile:\n" + errors.getDiagnostics());
        }
        Map<String, byte[]> entries = new LinkedHashMap<>();
        classes.forEach((name, bytes) -> {
            if (!leftOut.contains(name)) {
                entries.put(name.replace('.', '/') + ".class", bytes.toByteArray());
            }
        });
        return entries;
    }
}
