package com.rainforestqa.integrations.host.plugin;

import static java.util.Objects.requireNonNull;

import com.rainforestqa.integrations.api.ApiVersion;
import com.rainforestqa.integrations.api.Integration;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Loads plugins: a jar, or a directory of jars, from the plugins directory ({@link PluginDirectory} decides which).
 *
 * <p>Each plugin gets its own {@link PluginClassLoader}; its integrations are found with {@link ServiceLoader} and
 * its schemas are read from its own jars only. A plugin that fails in any way (unreadable jar, built for an SPI
 * version this host cannot serve, no integration, no schema, a schema for another key, a constructor that throws) is
 * refused whole with a {@link PluginLoadException} saying why, so one bad file never takes the others down.
 */
public final class PluginLoader {
    private static final System.Logger LOG = System.getLogger(PluginLoader.class.getName());
    private static final Pattern KEY = Pattern.compile("[a-z][a-z0-9_]*");
    private static final String SERVICE_FILE = "META-INF/services/" + Integration.class.getName();
    private static final List<String> SHARED_SERVICES = List.of(
            "jakarta.json.spi.JsonProvider",
            "jakarta.json.bind.spi.JsonbProvider");

    private final ClassLoader host;
    private final PluginClassLoader.SharedApis shared;
    private final PrivateCopies copies;

    /** A loader sharing the API with the class loader that loaded the host, copying jars to the temporary directory. */
    public PluginLoader() {
        this(PluginLoader.class.getClassLoader(), PrivateCopies.inTemporaryDirectory());
    }

    PluginLoader(ClassLoader host, PrivateCopies copies) {
        this.host = host;
        this.shared = sharedApis(host);
        this.copies = requireNonNull(copies, "copies is null");
    }

    /**
     * Loads every plugin in a directory, once.
     *
     * @param directory the plugins directory; a missing directory means no plugins
     * @param strict whether any failure is fatal
     * @return the loaded integrations and the skipped plugins
     * @throws PluginLoadException in strict mode, when a plugin could not be loaded
     */
    public PluginRegistry loadAll(Path directory, boolean strict) {
        return PluginDirectory.open(directory, this, strict).current();
    }

    /**
     * Loads one plugin: a jar, or a directory holding the plugin's jar and its private dependencies.
     *
     * @param source the jar or directory
     * @return the plugin with its integrations, sharing one new class loader
     * @throws PluginLoadException saying what is wrong with the plugin; nothing stays open then
     */
    public LoadedPlugin load(Path source) {
        List<Path> jars = jars(source);
        PluginManifest manifest = manifest(source, jars);
        try {
            checkApiVersion(manifest);
        } catch (PluginLoadException problem) {
            throw problem.withManifest(manifest);
        }
        PrivateCopies.Copy copy = copy(jars);
        try {
            URL[] urls = jars.stream().map(jar -> url(copy.of(jar))).toArray(URL[]::new);
            PluginClassLoader loader = new PluginClassLoader("plugin:" + source.getFileName(), urls, host, shared);
            return ContextClassLoader.run(loader, () -> instantiate(source, manifest, loader, copy));
        } catch (PluginLoadException problem) {
            copy.close();
            throw problem.withManifest(manifest);
        }
    }

    /** Runs with the plugin's loader as the context class loader: its constructors may look services up through it. */
    private LoadedPlugin instantiate(Path source, PluginManifest manifest, PluginClassLoader loader,
                                     PrivateCopies.Copy copy) {
        try {
            return new LoadedPlugin(source, manifest, integrations(source, loader), loader, copy);
        } catch (PluginLoadException problem) {
            closeQuietly(loader);
            throw problem;
        } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
            closeQuietly(loader);
            throw new PluginLoadException("could not instantiate an integration: " + describe(e), e);
        }
    }

    /**
     * Removes the private copies of plugin jars that processes killed before they could delete them left behind;
     * the copies of processes still running are kept. Never throws.
     */
    void removeStaleCopies() {
        copies.removeStale();
    }

    /** The class loader reads private copies of the jars ({@link PrivateCopies} says why). */
    private PrivateCopies.Copy copy(List<Path> jars) {
        try {
            return copies.copy(jars);
        } catch (IOException e) {
            throw new PluginLoadException("could not copy the plugin's jars: " + e.getMessage(), e);
        }
    }

    /** A plugin built for another SPI may call what this host lacks: refused before any of its code runs. */
    private static void checkApiVersion(PluginManifest manifest) {
        if (manifest.apiVersion().isPresent()) {
            refusal(manifest.apiVersion().get(), ApiVersion.CURRENT).ifPresent(reason -> {
                throw new PluginLoadException(reason);
            });
        }
    }

    /**
     * Why a host of one SPI version refuses a plugin built for another, by the rules of {@link ApiVersion}: the
     * same major and a minor up to the host's load; anything else may call what the host does not have.
     *
     * @param declared the version in the plugin's manifest
     * @param host the host's version
     * @return the reason, or empty when the plugin may load
     */
    static Optional<String> refusal(String declared, String host) {
        int major;
        int minor;
        try {
            major = ApiVersion.major(declared);
            minor = ApiVersion.minor(declared);
        } catch (IllegalArgumentException e) {
            return Optional.of("its manifest attribute " + ApiVersion.MANIFEST_ATTRIBUTE + ": " + e.getMessage());
        }
        int hostMajor = ApiVersion.major(host);
        int hostMinor = ApiVersion.minor(host);
        if (major > hostMajor) {
            return Optional.of("built for integrations API " + declared + ", newer than this host's " + host
                    + "; upgrade the host to use it");
        }
        if (major == hostMajor && minor > hostMinor) {
            return Optional.of("built for integrations API " + declared + ", newer than this host's " + host
                    + " (each minor version adds to the API, and the plugin may use what " + major + "." + minor
                    + " added); upgrade the host, or build the plugin against API " + host);
        }
        if (major < hostMajor) {
            return Optional.of("built for integrations API " + declared + ", an older major version than this "
                    + "host's " + host + " (a major version may remove what the plugin uses); build the plugin "
                    + "against API " + host);
        }
        return Optional.empty();
    }

    /** The manifest of the jar that declares the integrations; for a directory, the first such jar. */
    private static PluginManifest manifest(Path source, List<Path> jars) {
        String fileName = source.getFileName().toString();
        String fallbackName = fileName.endsWith(".jar") ? fileName.substring(0, fileName.length() - 4) : fileName;
        Manifest found = null;
        for (Path jar : jars) {
            try (JarFile opened = new JarFile(jar.toFile())) {
                Manifest manifest = opened.getManifest();
                if (opened.getEntry(SERVICE_FILE) != null) {
                    found = manifest;
                    break;
                }
                if (found == null) {
                    found = manifest;
                }
            } catch (IOException e) {
                throw new PluginLoadException(jar.getFileName() + " is not a readable jar: " + e.getMessage(), e);
            }
        }
        if (found == null) {
            return PluginManifest.named(fallbackName);
        }
        Attributes main = found.getMainAttributes();
        return new PluginManifest(
                attribute(main, Attributes.Name.IMPLEMENTATION_TITLE.toString()).orElse(fallbackName),
                attribute(main, Attributes.Name.IMPLEMENTATION_VERSION.toString()),
                attribute(main, ApiVersion.MANIFEST_ATTRIBUTE));
    }

    private static Optional<String> attribute(Attributes attributes, String name) {
        return Optional.ofNullable(attributes.getValue(name)).map(String::strip).filter(value -> !value.isEmpty());
    }

    private List<LoadedIntegration> integrations(Path source, PluginClassLoader loader) {
        List<LoadedIntegration> loaded = new ArrayList<>();
        Set<String> keys = new LinkedHashSet<>();
        for (Integration integration : ServiceLoader.load(Integration.class, loader)) {
            String key = integration.key();
            if (key == null || !KEY.matcher(key).matches()) {
                throw new PluginLoadException(integration.getClass().getName() + " has an invalid key \"" + key
                        + "\" (lowercase letters, digits and underscores)");
            }
            if (!keys.add(key)) {
                throw new PluginLoadException("integration key \"" + key + "\" appears twice in the plugin");
            }
            loaded.add(new LoadedIntegration(integration, schema(loader, key), loader, source));
        }
        if (loaded.isEmpty()) {
            throw new PluginLoadException("no integration declared in " + SERVICE_FILE);
        }
        return List.copyOf(loaded);
    }

    private static IntegrationSchema schema(PluginClassLoader loader, String key) {
        String path = "META-INF/integrations/" + key + ".yaml";
        // findResource, not getResource: the schema must come from the plugin's own jars.
        URL url = loader.findResource(path);
        if (url == null) {
            throw new PluginLoadException("integration \"" + key + "\" has no schema " + path);
        }
        IntegrationSchema schema;
        // Without caches: a cached connection keeps the jar open in the JDK's jar cache for the life of the process,
        // past the class loader's close and the deletion of the private copy; uncached, closing the stream closes it.
        try (InputStream in = uncached(url)) {
            schema = SchemaReader.read(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new PluginLoadException("could not read " + path + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new PluginLoadException(path + ": " + e.getMessage(), e);
        }
        if (!schema.key().equals(key)) {
            throw new PluginLoadException(path + " declares key \"" + schema.key()
                    + "\" but the integration's key is \"" + key + "\"");
        }
        return schema;
    }

    private static InputStream uncached(URL url) throws IOException {
        URLConnection connection = url.openConnection();
        connection.setUseCaches(false);
        return connection.getInputStream();
    }

    /**
     * The plugin files and directories directly under the plugins directory, by name.
     *
     * @param directory the plugins directory, which must exist
     * @return the candidates, sorted
     * @throws IOException when the directory cannot be listed
     */
    static List<Path> candidates(Path directory) throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            // Hidden files are skipped: editors and copy tools use them for files not yet complete.
            return entries.filter(path -> !path.getFileName().toString().startsWith("."))
                    .filter(path -> Files.isDirectory(path) || isJar(path))
                    .sorted()
                    .toList();
        }
    }

    /**
     * The jars of a plugin directory, by name.
     *
     * @param directory a plugin directory
     * @return its jars
     * @throws IOException when it cannot be listed
     */
    static List<Path> jarsIn(Path directory) throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.filter(PluginLoader::isJar).sorted().toList();
        }
    }

    private static List<Path> jars(Path source) {
        List<Path> jars;
        if (Files.isDirectory(source)) {
            try {
                jars = jarsIn(source);
            } catch (IOException e) {
                throw new PluginLoadException("cannot list the directory: " + e.getMessage(), e);
            }
            if (jars.isEmpty()) {
                throw new PluginLoadException("the directory holds no jar");
            }
        } else {
            jars = List.of(source);
        }
        for (Path jar : jars) {
            // Opened once to prove it is a readable jar before a class loader depends on it.
            try (JarFile opened = new JarFile(jar.toFile())) {
                opened.getManifest();
            } catch (IOException e) {
                throw new PluginLoadException(jar.getFileName() + " is not a readable jar: " + e.getMessage(), e);
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
            throw new PluginLoadException("bad path " + jar, e);
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

    static void closeQuietly(Object closeable) {
        if (closeable instanceof AutoCloseable resource) {
            try {
                resource.close();
            } catch (Exception e) {
                LOG.log(System.Logger.Level.DEBUG, "Could not close a plugin resource", e);
            }
        }
    }
}
