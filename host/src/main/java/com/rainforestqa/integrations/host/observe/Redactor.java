package com.rainforestqa.integrations.host.observe;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Removes secret values from text that leaves the host (error messages, targets' answers). Secrets are replaced
 * longest first, also in their URL-encoded form, since targets often echo the URL they were called with; a secret
 * URL's path and query are secrets of their own, since webhook URLs carry their token there and a target may echo
 * just the path.
 *
 * <p>The values come from what each plugin's schema declares secret, so a third party's secrets are masked as ours
 * are. One per delivery, used on its thread; the {@link Scrubber} masks the same forms in error reports.
 */
public final class Redactor {
    /** What a secret is replaced with. */
    public static final String MASK = "[REDACTED]";

    /** Shorter values would mask ordinary words; settings that short are not secrets worth the name. */
    private static final int MIN_LENGTH = 4;

    private static final int MIN_URL_PART = 8;

    private final Set<String> values;
    /** The forms to mask, longest first; worked out on the first text that could hold one. */
    private List<String> secrets;

    /** @param values the secret values of one delivery */
    public Redactor(Set<String> values) {
        this.values = values;
    }

    private List<String> secrets() {
        if (secrets == null) {
            secrets = forms(values);
        }
        return secrets;
    }

    /**
     * @param values secret values
     * @return the forms in which they may appear in a text (as they are, URL-encoded, a URL's path and query),
     *         longest first, so that a secret containing another is masked whole
     */
    static List<String> forms(Collection<String> values) {
        Set<String> forms = new LinkedHashSet<>();
        for (String value : values) {
            if (value.length() >= MIN_LENGTH) {
                forms.add(value);
                forms.add(URLEncoder.encode(value, StandardCharsets.UTF_8));
                forms.addAll(urlParts(value));
            }
        }
        return forms.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
    }

    private static List<String> urlParts(String value) {
        try {
            URI uri = new URI(value.strip());
            if (!uri.isAbsolute() || uri.getHost() == null) {
                return List.of();
            }
            List<String> parts = new ArrayList<>();
            for (String part : new String[] {uri.getRawPath(), uri.getPath(), uri.getRawQuery(), uri.getQuery()}) {
                // A bare "/" or a short path is no secret; only the parts that can carry a token are masked.
                if (part != null && part.length() >= MIN_URL_PART) {
                    parts.add(part);
                }
            }
            return parts;
        } catch (URISyntaxException e) {
            return List.of();
        }
    }

    /**
     * @param text text that may hold secrets
     * @return the text with every secret masked
     */
    public String apply(String text) {
        // Most texts are short answers such as Slack's "ok": shorter than any secret, so nothing to work out.
        if (text.length() < MIN_LENGTH || values.isEmpty()) {
            return text;
        }
        String result = text;
        for (String secret : secrets()) {
            result = result.replace(secret, MASK);
        }
        return result;
    }
}
