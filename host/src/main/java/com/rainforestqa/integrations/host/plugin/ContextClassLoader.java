package com.rainforestqa.integrations.host.plugin;

import static java.util.Objects.requireNonNull;

import java.util.function.Supplier;

/**
 * Runs code with another context class loader on the current thread. A plugin's code, and the libraries it uses, look
 * services and resources up through the context class loader: during its construction and its deliveries that must be
 * the plugin's own loader, and the host's again when the host's code runs on the plugin's behalf.
 */
public final class ContextClassLoader {
    private ContextClassLoader() {
    }

    /**
     * Runs an action with {@code loader} as the current thread's context class loader, and puts the previous one back
     * afterwards, however the action ends.
     *
     * @param loader the context class loader for the action
     * @param action what to run
     * @param <T> what the action returns
     * @return what the action returned
     * @throws RuntimeException or {@link Error} as the action throws them, with the previous loader back in place
     */
    public static <T> T run(ClassLoader loader, Supplier<T> action) {
        requireNonNull(action, "action is null");
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return action.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
