package com.rainforestqa.integrations.host.observe;

import io.sentry.Breadcrumb;
import io.sentry.Hint;
import io.sentry.SentryEvent;
import io.sentry.SentryOptions;
import io.sentry.protocol.Message;
import io.sentry.protocol.SentryException;

import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The last guard before an error report leaves the host: removes the known secrets (the signing key, and the values
 * of the settings the reported integration's schema declares secret, handed over in the {@link Hint}) in every form
 * the {@link Redactor} knows, then what looks like a credential whatever plugin it came from (user info and query
 * strings in URLs, authorization values, values named like a token, key, password or secret), from every text of the
 * event. The host names no target here: which values are secret is for each plugin to declare, so a third party's
 * secrets are removed as ours are. The request and user parts are dropped whole: the host never fills them, and
 * nothing there is needed.
 */
final class Scrubber implements SentryOptions.BeforeSendCallback {
    /** Hint key under which a report hands over the secret values of its event. */
    static final String SECRETS_HINT = "rainforest.secrets";
    /** Hint key that marks a report whose exception messages may hold anything, since its secrets are unknown. */
    static final String WITHOUT_MESSAGES_HINT = "rainforest.without-messages";

    static final String REDACTED = Redactor.MASK;

    private static final Pattern URL_USER_INFO = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)[^/\\s@\"']+@");
    private static final Pattern URL_QUERY = Pattern.compile("(?i)(\\bhttps?://[^\\s?#\"']+)\\?[^\\s#\"']+");
    private static final Pattern AUTH_SCHEME = Pattern.compile(
            "(?i)\\b(bearer|basic)\\s+(?!\\[REDACTED])[A-Za-z0-9._~+/=-]{6,}");
    /** A value after a name that ends like a credential's: {@code Authorization:}, {@code X-Api-Key=} ... */
    private static final Pattern NAMED_CREDENTIAL = Pattern.compile(
            "(?i)\\b([a-z0-9_-]*(?:authorization|api[_-]?key|token|password|secret))"
                    + "(\"?\\s*[:=]\\s*\"?)(?!\\[REDACTED])[^\\s\"',;&}]+");

    private final Set<String> alwaysSecret;

    /**
     * A scrubber.
     *
     * @param alwaysSecret values removed from every report (the signing key)
     */
    Scrubber(Set<String> alwaysSecret) {
        this.alwaysSecret = Set.copyOf(alwaysSecret);
    }

    @Override
    public SentryEvent execute(SentryEvent event, Hint hint) {
        List<String> secrets = secrets(hint);
        event.setRequest(null);
        event.setUser(null);
        Message message = event.getMessage();
        if (message != null) {
            message.setMessage(scrub(message.getMessage(), secrets));
            message.setFormatted(scrub(message.getFormatted(), secrets));
            if (message.getParams() != null) {
                message.setParams(message.getParams().stream().map(param -> scrub(param, secrets)).toList());
            }
        }
        if (event.getExceptions() != null) {
            boolean withoutMessages = hint != null && Boolean.TRUE.equals(hint.get(WITHOUT_MESSAGES_HINT));
            for (SentryException exception : event.getExceptions()) {
                exception.setValue(withoutMessages ? null : scrub(exception.getValue(), secrets));
            }
        }
        if (event.getExtras() != null) {
            Map<String, Object> extras = new LinkedHashMap<>();
            event.getExtras().forEach((key, value) -> extras.put(key, scrubValue(value, secrets)));
            event.setExtras(extras);
        }
        if (event.getTags() != null) {
            Map<String, String> tags = new LinkedHashMap<>();
            event.getTags().forEach((key, value) -> tags.put(key, scrub(value, secrets)));
            event.setTags(tags);
        }
        if (event.getBreadcrumbs() != null) {
            for (Breadcrumb crumb : event.getBreadcrumbs()) {
                crumb.setMessage(scrub(crumb.getMessage(), secrets));
                Map<String, Object> data = new LinkedHashMap<>(crumb.getData());
                data.forEach((key, value) -> crumb.setData(key, scrubValue(value, secrets)));
            }
        }
        return event;
    }

    /**
     * The secrets to remove: each value as it is, whatever its length, and in the other forms a delivery's redaction
     * masks (URL-encoded, a secret URL's path and query); longest first, so that a secret containing another is
     * removed whole.
     */
    private List<String> secrets(Hint hint) {
        Set<String> values = new HashSet<>(alwaysSecret);
        if (hint != null && hint.get(SECRETS_HINT) instanceof Collection<?> declared) {
            declared.forEach(value -> values.add(String.valueOf(value)));
        }
        values.removeIf(String::isBlank);
        Set<String> forms = new HashSet<>(values);
        forms.addAll(Redactor.forms(values));
        return forms.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
    }

    private static Object scrubValue(Object value, List<String> secrets) {
        return value instanceof String || value instanceof Collection<?> || value instanceof Map<?, ?>
                ? scrub(String.valueOf(value), secrets)
                : value;
    }

    /**
     * Removes secrets from a text.
     *
     * @param text the text, may be null
     * @param secrets known secret values, longest first
     * @return the text without them
     */
    static String scrub(String text, List<String> secrets) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String result = text;
        for (String secret : secrets) {
            result = result.replace(secret, REDACTED);
        }
        result = URL_USER_INFO.matcher(result).replaceAll(match -> Matcher.quoteReplacement(match.group(1))
                + REDACTED + "@");
        result = URL_QUERY.matcher(result).replaceAll(match -> Matcher.quoteReplacement(match.group(1)) + "?"
                + REDACTED);
        result = AUTH_SCHEME.matcher(result).replaceAll(match -> Matcher.quoteReplacement(match.group(1)) + " "
                + REDACTED);
        return NAMED_CREDENTIAL.matcher(result).replaceAll(match -> Matcher.quoteReplacement(match.group(1)
                + match.group(2)) + REDACTED);
    }
}
