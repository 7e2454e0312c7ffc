package com.rainforestqa.integrations.plugin.jira;

import static java.util.Objects.requireNonNull;

import com.rainforestqa.integrations.api.ErrorType;
import com.rainforestqa.integrations.api.IntegrationException;
import com.rainforestqa.integrations.api.Settings;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * A user's Jira settings, checked: where Jira lives, which project to file into, and how to authenticate.
 *
 * @param baseUrl the Jira base URL without a trailing slash, for example {@code https://acme.atlassian.net} or
 *        {@code https://jira.example.com/jira}
 * @param projectKey the project's key, for example {@code OPS}
 * @param auth the credentials
 */
record JiraSettings(String baseUrl, String projectKey, JiraAuth auth) {
    static final String BASE_URL = "jira_base_url";
    static final String PROJECT_KEY = "project_key";

    JiraSettings {
        requireNonNull(baseUrl, "baseUrl is null");
        requireNonNull(projectKey, "projectKey is null");
        requireNonNull(auth, "auth is null");
    }

    /**
     * Reads and checks the settings; nothing has been sent when this throws.
     *
     * @throws IntegrationException of type {@link ErrorType#MISCONFIGURED_INTEGRATION} naming what is missing or wrong
     */
    static JiraSettings from(Settings settings, Clock clock, Supplier<String> nonces) {
        String baseUrl = baseUrl(settings.required(BASE_URL));
        String projectKey = settings.required(PROJECT_KEY).strip();
        return new JiraSettings(baseUrl, projectKey, JiraAuth.from(settings, clock, nonces));
    }

    /** An absolute URI on this Jira. */
    URI uri(String path) {
        return URI.create(baseUrl + path);
    }

    /** Jira Cloud sites live under atlassian.net; anything else is taken for Data Center or Server. */
    boolean isCloud() {
        String host = URI.create(baseUrl).getHost().toLowerCase(Locale.ROOT);
        return host.endsWith(".atlassian.net");
    }

    @Override
    public String toString() {
        return "JiraSettings[" + baseUrl + ", " + projectKey + ", " + auth + "]";
    }

    // Trailing slashes are dropped so that paths can be appended as they are; a path (a context root) is kept.
    private static String baseUrl(String setting) {
        String text = setting.strip();
        while (text.endsWith("/")) {
            text = text.substring(0, text.length() - 1);
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw notAUrl();
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null
                || uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
            throw notAUrl();
        }
        return text;
    }

    private static IntegrationException notAUrl() {
        return new IntegrationException(ErrorType.MISCONFIGURED_INTEGRATION,
                "setting \"jira_base_url\" is not an absolute http(s) URL; expected your Jira's address, such as "
                        + "https://your-site.atlassian.net or https://jira.example.com");
    }
}
