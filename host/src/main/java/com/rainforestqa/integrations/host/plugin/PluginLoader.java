package com.rainforestqa.integrations.host.plugin;

import com.rainforestqa.integrations.api.Integration;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Loads plugins: every jar, and every directory of jars, directly under the plugins directory.
 *
 * <p>Each plugin gets its own {@link PluginClassLoader}; its integrations are found with {@link ServiceLoader} and
 * its schemas are read from its own jars only. A plugin that fails in any way (unreadable jar, no integration, no
 * schema, a schema for another key, a key another plugin already has, a constructor that throws) is skipped whole and
 * reported, so one bad file never takes the others down; in strict mode any such failure stops the start instead.
 * Plugins are loaded in file-name order, so when two plugins claim one key the first by name keeps it.
 */
public final class PluginLoader {
    private static final System.Logger LOG = System.getLogger(PluginLoader.class.getName());
    private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9_]*");
    private static final List<String> SHARED_SERVICES = List.of(
            "jakarta.json.spi.JsonProvider",
            "jakarta.json.bind.spi.JsonbProvider");

    private final ClassLoader host;
    private final PluginClassLoader.SharedApis shared;

    /** A loader sharing the API with the class loader that loaded the host. */
    public PluginLoader() {
        this(PluginLoader.class.getClassLoader());
    }

    PluginLoader(ClassLoader host) {
        this.host = host;
        this.shared = sharedApis(host);
    }

    /**
     * Loads every plugin in a directory.
     *
     * @param directory the plugins directory; a missing directory means no plugins
     * @param strict whether any failure is fatal
     * @return the loaded integrations and the skipped plugins
     * @throws PluginLoadException in strict mode, when a plugin could not be loaded
     */
    public PluginRegistry loadAll(Path directory, boolean strict) {
        List<LoadedIntegration> loaded = new ArrayList<>();
        List<PluginFailure> failures = new ArrayList<>();
        Map<String, Path> keys = new HashMap<>();
        for (Path source : candidates(directory, failures)) {
            try {
                List<LoadedIntegration> plugin = load(source);
                for (LoadedIntegration integration : plugin) {
                    Path owner = keys.get(integration.key());
                    if (owner != null) {
                        closeQuietly(integration.classLoader());
                        throw new PluginProblem("integration key \"" + integration.key()
                                + "\" is already provided by " + owner.getFileName());
                    }
                }
                plugin.forEach(integration -> keys.put(integration.key(), source));
                loaded.addAll(plugin);
                LOG.log(System.Logger.Level.INFO, "Loaded plugin {0}: {1}", source.getFileName(),
                        plugin.stream().map(LoadedIntegration::key).toList());
            } catch (PluginProblem problem) {
                PluginFailure failure = new PluginFailure(source, problem.getMessage());
                failures.add(failure);
                LOG.log(System.Logger.Level.WARNING, "Skipped plugin {0}", failure);
            }
        }
        PluginRegistry registry = new PluginRegistry(loaded, failures);
        if (strict && !failures.isEmpty()) {
            closeQuietly(registry);
            throw new PluginLoadException(failures);
        }
        return registry;
    }

    /**
     * Loads one plugin: a jar, or a directory holding the plugin's jar and its private dependencies.
     *
     * @param source the jar or directory
     * @return its integrations, sharing one new class loader
     * @throws PluginProblem saying what is wrong with the plugin; nothing stays open then
     */
    public List<LoadedIntegration> load(Path source) {
        URL[] urls = jars(source).stream().map(PluginLoader::url).toArray(URL[]::new);
        PluginClassLoader loader = new PluginClassLoader("plugin:" + source.getFileName(), urls, host, shared);
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return integrations(source, loader);
        } catch (PluginProblem problem) {
            closeQuietly(loader);
            throw problem;
        } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
            closeQuietly(loader);
            throw new PluginProblem("could not instantiate an integration: " + describe(e), e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private List<LoadedIntegration> integrations(Path source, PluginClassLoader loader) {
        List<LoadedIntegration> loaded = new ArrayList<>();
        Set<String> keys = new LinkedHashSet<>();
        for (Integration integration : ServiceLoader.load(Integration.class, loader)) {
            String key = integration.key();
            if (key == null || !KEY.matcher(key).matches()) {
                throw new PluginProblem(integration.getClass().getName() + " has an invalid key \"" + key
                        + "\" (lowercase letters, digits and underscores)");
            }
            if (!keys.add(key)) {
                throw new PluginProblem("integration key \"" + key + "\" appears twice in the plugin");
            }
            loaded.add(new LoadedIntegration(integration, schema(loader, key), loader, source));
        }
        if (loaded.isEmpty()) {
            throw new PluginProblem("no integration declared in META-INF/services/" + Integration.class.getName());
        }
        return List.copyOf(loaded);
    }

    private static IntegrationSchema schema(PluginClassLoader loader, String key) {
        String path = "META-INF/integrations/" + key + ".yaml";
        // findResource, not getResource: the schema must come from the plugin's own jars.
        URL url = loader.findResource(path);
        if (url == null) {
            throw new PluginProblem("integration \"" + key + "\" has no schema " + path);
        }
        IntegrationSchema schema;
        try (InputStream in = url.openStream()) {
            schema = SchemaReader.read(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new PluginProblem("could not read " + path + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new PluginProblem(path + ": " + e.getMessage(), e);
        }
        if (!schema.key().equals(key)) {
            throw new PluginProblem(path + " declares key \"" + schema.key() + "\" but the integration's key is \""
                    + key + "\"");
        }
        return schema;
    }

    private static List<Path> candidates(Path directory, List<PluginFailure> failures) {
        if (!Files.isDirectory(directory)) {
            LOG.log(System.Logger.Level.WARNING, "Plugins directory {0} does not exist; no integrations loaded",
                    directory);
            failures.add(new PluginFailure(directory, "plugins directory does not exist"));
            return List.of();
        }
        try (Stream<Path> entries = Files.list(directory)) {
            // Hidden files are skipped: editors and copy tools use them for files not yet complete.
            return entries.filter(path -> !path.getFileName().toString().startsWith("."))
                    .filter(path -> Files.isDirectory(path) || isJar(path))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list plugins directory " + directory, e);
        }
    }

    private static List<Path> jars(Path source) {
        List<Path> jars;
        if (Files.isDirectory(source)) {
            try (Stream<Path> entries = Files.list(source)) {
                jars = entries.filter(PluginLoader::isJar).sorted().toList();
            } catch (IOException e) {
                throw new PluginProblem("cannot list the directory: " + e.getMessage(), e);
            }
            if (jars.isEmpty()) {
                throw new PluginProblem("the directory holds no jar");
            }
        } else {
            jars = List.of(source);
        }
        for (Path jar : jars) {
            // Opened once to prove it is a readable jar before a class loader depends on it.
            try (JarFile opened = new JarFile(jar.toFile())) {
                opened.getManifest();
            } catch (IOException e) {
                throw new PluginProblem(jar.getFileName() + " is not a readable jar: " + e.getMessage(), e);
            }
        }
        return jars;
    }

    private static boolean isJar(Path path) {
        return Files.isRegularFile(path) && path.getFileName().toString().endsWith(".jar");
    }

    private static URL url(Path jar) {
        try {
            return jar.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new PluginProblem("bad path " + jar, e);
        }
    }

    private static PluginClassLoader.SharedApis sharedApis(ClassLoader host) {
        Set<String> files = new LinkedHashSet<>();
        Set<String> providers = new LinkedHashSet<>();
        for (String service : SHARED_SERVICES) {
            String file = "META-INF/services/" + service;
            files.add(file);
            try {
                Enumeration<URL> urls = host.getResources(file);
                while (urls.hasMoreElements()) {
                    providers.addAll(providerNames(urls.nextElement()));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file + " from the host's class path", e);
            }
        }
        return new PluginClassLoader.SharedApis(files, providers);
    }

    private static List<String> providerNames(URL serviceFile) throws IOException {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(serviceFile.openStream(), StandardCharsets.UTF_8))) {
            return reader.lines()
                    .map(line -> line.replaceFirst("#.*", "").trim())
                    .filter(line -> !line.isEmpty())
                    .toList();
        }
    }

    private static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = e.getMessage();
        return root == e ? String.valueOf(message) : message + " (caused by " + root + ")";
    }

    private static void closeQuietly(Object closeable) {
        if (closeable instanceof AutoCloseable resource) {
            try {
                resource.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.DEBUG, "Could not close a plugin resource", e);
            }
        }
    }

    /** What is wrong with one plugin; the message is for the operator and names no secrets. */
    public static final class PluginProblem extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PluginProblem(String message) {
            super(message);
        }

        PluginProblem(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
