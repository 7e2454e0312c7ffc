package com.rainforestqa.integrations.host.observe;

import java.util.Collection;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A stand-in for an exception a plugin threw, safe to hand to a logger: the same class name, stack frames, causes and
 * suppressed exceptions, with every message passed through the same redaction as error reports ({@link Scrubber}).
 * A plugin's message may hold anything, settings included, so the original never reaches a log handler, which would
 * print its messages as they are.
 */
public final class RedactedThrowable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String originalClass;

    private RedactedThrowable(Throwable original, List<String> secrets) {
        super(Scrubber.scrub(original.getMessage(), secrets));
        this.originalClass = original.getClass().getName();
        setStackTrace(original.getStackTrace());
    }

    /**
     * The redacted stand-in of an exception.
     *
     * @param original what the plugin threw
     * @param secrets values removed from every message (the delivery's secret settings)
     * @return a throwable that prints like the original, without the secrets
     */
    public static Throwable of(Throwable original, Collection<String> secrets) {
        List<String> longestFirst = secrets.stream().filter(value -> !value.isBlank())
                .sorted(Comparator.comparingInt(String::length).reversed()).toList();
        return copy(original, longestFirst, new IdentityHashMap<>());
    }

    private static RedactedThrowable copy(Throwable original, List<String> secrets,
                                          Map<Throwable, RedactedThrowable> done) {
        RedactedThrowable existing = done.get(original);
        if (existing != null) {
            return existing;
        }
        RedactedThrowable copy = new RedactedThrowable(original, secrets);
        done.put(original, copy);
        Throwable cause = original.getCause();
        if (cause != null && cause != original) {
            copy.initCause(copy(cause, secrets, done));
        }
        for (Throwable suppressed : original.getSuppressed()) {
            copy.addSuppressed(copy(suppressed, secrets, done));
        }
        return copy;
    }

    /**
     * The original's class name and the redacted message, as {@link Throwable#toString()} shows the original.
     *
     * @return the text a stack trace starts with
     */
    @Override
    public String toString() {
        String message = getLocalizedMessage();
        return message == null ? originalClass : originalClass + ": " + message;
    }
}
