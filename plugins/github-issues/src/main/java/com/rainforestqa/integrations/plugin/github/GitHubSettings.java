package com.rainforestqa.integrations.plugin.github;

import static java.util.Objects.requireNonNull;

import com.rainforestqa.integrations.api.ErrorType;
import com.rainforestqa.integrations.api.IntegrationException;
import com.rainforestqa.integrations.api.Settings;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A user's GitHub settings, checked: the repository issues go to, the token that files them, and labels to add.
 *
 * @param owner the repository's owner, a user or an organization
 * @param name the repository's name
 * @param token the access token; a secret
 * @param extraLabels labels the user wants on every new issue, in the order given, without duplicates
 */
record GitHubSettings(String owner, String name, String token, List<String> extraLabels) {
    static final String REPOSITORY = "repository";
    static final String TOKEN = "token";
    static final String LABELS = "labels";
    /** GitHub refuses longer label names. */
    static final int MAX_LABEL = 50;

    // GitHub's own rules: an owner is up to 39 letters, digits and hyphens, not starting with a hyphen; a repository
    // name is up to 100 letters, digits, '.', '-' and '_'. Anything else is a typo or a pasted URL, and since both
    // parts go into request paths unencoded, nothing else may pass.
    private static final Pattern REPOSITORY_SHAPE =
            Pattern.compile("([A-Za-z0-9][A-Za-z0-9-]{0,38})/([A-Za-z0-9._-]{1,100})");

    GitHubSettings {
        requireNonNull(owner, "owner is null");
        requireNonNull(name, "name is null");
        requireNonNull(token, "token is null");
        extraLabels = List.copyOf(extraLabels);
    }

    /**
     * Reads and checks the settings; nothing has been sent when this throws.
     *
     * @throws IntegrationException of type {@link ErrorType#USER_CONFIGURATION_ERROR} naming the setting that is
     *         wrong, or {@link ErrorType#MISCONFIGURED_INTEGRATION} when a required one is missing
     */
    static GitHubSettings from(Settings settings) {
        String repository = settings.required(REPOSITORY).strip();
        Matcher shape = REPOSITORY_SHAPE.matcher(repository);
        if (!shape.matches() || shape.group(2).equals(".") || shape.group(2).equals("..")) {
            throw userError("setting \"repository\" must be the repository's owner and name as owner/name, such as "
                    + "octocat/hello-world (letters, digits, '-', and in the name also '.' and '_')");
        }
        return new GitHubSettings(shape.group(1), shape.group(2), token(settings.required(TOKEN)),
                labels(settings.optional(LABELS).orElse("")));
    }

    /** The repository as GitHub writes it, {@code owner/name}. */
    String repository() {
        return owner + "/" + name;
    }

    /** The token is a secret, so only the repository and labels are shown. */
    @Override
    public String toString() {
        return "GitHubSettings[" + repository() + ", labels=" + extraLabels + "]";
    }

    // A token with spaces or control characters could split the Authorization header; GitHub tokens have none.
    private static String token(String value) {
        String token = value.strip();
        if (!token.chars().allMatch(c -> c > ' ' && c < 0x7f)) {
            throw userError("setting \"token\" is not a GitHub token: it holds spaces or unusual characters");
        }
        return token;
    }

    private static List<String> labels(String value) {
        Set<String> labels = new LinkedHashSet<>();
        for (String part : value.split(",")) {
            String label = part.strip();
            if (label.isEmpty()) {
                continue;
            }
            if (label.length() > MAX_LABEL) {
                throw userError("setting \"labels\" holds a label longer than GitHub's " + MAX_LABEL
                        + " characters: " + label);
            }
            labels.add(label);
        }
        return List.copyOf(labels);
    }

    private static IntegrationException userError(String message) {
        return new IntegrationException(ErrorType.USER_CONFIGURATION_ERROR, message);
    }
}
