package com.rainforestqa.integrations.host.delivery;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Removes secret values from text that leaves the host (error messages, targets' answers). Secrets are replaced
 * longest first, also in their URL-encoded form, since targets often echo the URL they were called with.
 */
final class Redactor {
    static final String MASK = "[REDACTED]";

    /** Shorter values would mask ordinary words; settings that short are not secrets worth the name. */
    private static final int MIN_LENGTH = 4;

    private final List<String> secrets;

    Redactor(Set<String> values) {
        Set<String> forms = new LinkedHashSet<>();
        for (String value : values) {
            if (value.length() >= MIN_LENGTH) {
                forms.add(value);
                forms.add(URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        }
        this.secrets = forms.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
    }

    String apply(String text) {
        String result = text;
        for (String secret : secrets) {
            result = result.replace(secret, MASK);
        }
        return result;
    }
}
