package com.rainforestqa.integrations.host.plugin;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Enumeration;
import java.util.Set;

/**
 * The class loader of one plugin.
 *
 * <p>Its parent is the platform class loader, so the host's libraries (Helidon, Yasson, Sentry, ...) are invisible
 * and a plugin may bundle other versions of any of them. Only the SPI and the Jakarta JSON APIs come from the host,
 * since plugin and host must agree on those types; and so that {@code Json.createObjectBuilder()} and
 * {@code JsonbBuilder.create()} work inside a plugin, the service files of those APIs and the provider classes they
 * name are answered from the host too.
 */
final class PluginClassLoader extends URLClassLoader {
    private static final String[] SHARED_PACKAGES = {
            "com.rainforestqa.integrations.api.",
            "jakarta.json.",
    };

    private final ClassLoader host;
    private final SharedApis shared;

    PluginClassLoader(String name, URL[] urls, ClassLoader host, SharedApis shared) {
        super(name, urls, ClassLoader.getPlatformClassLoader());
        this.host = host;
        this.shared = shared;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (isShared(name)) {
            return host.loadClass(name);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> loaded = findLoadedClass(name);
            if (loaded == null) {
                try {
                    loaded = getParent().loadClass(name);
                } catch (ClassNotFoundException notInJdk) {
                    loaded = findClass(name);
                }
            }
            if (resolve) {
                resolveClass(loaded);
            }
            return loaded;
        }
    }

    @Override
    public URL getResource(String name) {
        if (shared.serviceFiles().contains(name)) {
            return host.getResource(name);
        }
        URL url = getParent().getResource(name);
        return url != null ? url : findResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        if (shared.serviceFiles().contains(name)) {
            return host.getResources(name);
        }
        return super.getResources(name);
    }

    private boolean isShared(String className) {
        for (String prefix : SHARED_PACKAGES) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return shared.providerClasses().contains(className);
    }

    /**
     * What plugins share with the host beyond the API packages: the {@code META-INF/services} files of the shared
     * APIs and the provider classes those files name.
     */
    record SharedApis(Set<String> serviceFiles, Set<String> providerClasses) {
        SharedApis {
            serviceFiles = Set.copyOf(serviceFiles);
            providerClasses = Set.copyOf(providerClasses);
        }
    }

    static {
        registerAsParallelCapable();
    }
}
