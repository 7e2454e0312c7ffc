package com.rainforestqa.integrations.plugin.github;

import com.rainforestqa.integrations.api.ErrorType;
import com.rainforestqa.integrations.api.IntegrationException;
import com.rainforestqa.integrations.api.OutboundResponse;
import com.rainforestqa.integrations.api.StatusCodes;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads GitHub's answers: success bodies as JSON objects, failures as {@link IntegrationException}s. A 403 is either a
 * rate limit or a missing permission, and only the headers or the message tell which; GitHub's own words go into the
 * messages, so that the user sees, say, which permission the token lacks.
 */
final class GitHubReplies {
    /** GitHub asks for at least a minute's pause after a secondary rate limit that names no time. */
    static final Duration SECONDARY_LIMIT_WAIT = Duration.ofMinutes(1);

    private GitHubReplies() {
    }

    /**
     * Checks that GitHub accepted a request and answered with a JSON object.
     *
     * @param response GitHub's answer
     * @param action what was asked, for messages, such as {@code "the issue search"}
     * @param settings the settings used, to name the repository
     * @param clock the clock, to turn a rate limit's reset time into a wait
     * @return the answer's body
     * @throws IntegrationException carrying the answer, when GitHub did not accept the request
     */
    static JsonObject check(OutboundResponse response, String action, GitHubSettings settings, Clock clock) {
        int status = response.status();
        String answered = "GitHub answered " + status + " to " + action + ": ";
        String repository = settings.repository();
        if (response.isSuccess()) {
            // The API URL is the operator's (GitHub Enterprise Server, tests): an answer that is not GitHub's JSON
            // means the installation points somewhere else, which the user cannot fix.
            return response.jsonObject().orElseThrow(() -> new IntegrationException(
                    ErrorType.MISCONFIGURED_INTEGRATION,
                    answered + "not GitHub's JSON; check the installation's plugins.github_issues.api-url", response));
        }
        Optional<String> message = message(response);
        if (status == 401) {
            throw new IntegrationException(ErrorType.USER_CONFIGURATION_ERROR, answered
                    + "bad credentials; the token is wrong, expired or revoked: check setting \"token\"", response);
        }
        if (status == 403 || status == 429) {
            Optional<IntegrationException> limited = rateLimit(response, answered, message, clock);
            if (limited.isPresent()) {
                throw limited.get();
            }
            if (status == 429) {
                throw new IntegrationException(ErrorType.TRANSIENT, answered + "too many requests", response);
            }
            throw new IntegrationException(ErrorType.USER_CONFIGURATION_ERROR, answered
                    + message.map(text -> text + "; ").orElse("") + missingPermission(response, repository), response);
        }
        if (status == 404) {
            throw new IntegrationException(ErrorType.USER_CONFIGURATION_ERROR, answered + "repository " + repository
                    + " was not found, or the token cannot see it; check setting \"repository\" and that the token "
                    + "has access to it", response);
        }
        if (status == 410) {
            throw new IntegrationException(ErrorType.USER_CONFIGURATION_ERROR, answered + "issues are disabled in "
                    + repository + "; turn them on in the repository's settings, or choose another repository",
                    response);
        }
        if (status == 422) {
            String details = errors(response).orElse(message.orElse("validation failed"));
            // The search says so with a 422 when the repository in its query is missing or hidden from the token:
            // that is the user's setting, not a malformed request.
            if (details.contains("cannot be searched")) {
                throw new IntegrationException(ErrorType.USER_CONFIGURATION_ERROR, answered + details
                        + " Check setting \"repository\" (" + repository + ") and that the token has access to it.",
                        response);
            }
            throw new IntegrationException(ErrorType.MISCONFIGURED_INTEGRATION,
                    answered + "GitHub refused the request: " + details, response);
        }
        if (StatusCodes.isRetryable(status)) {
            throw new IntegrationException(ErrorType.TRANSIENT, answered + "GitHub failed on its side", response);
        }
        if (status >= 400) {
            throw new IntegrationException(ErrorType.MISCONFIGURED_INTEGRATION,
                    answered + "GitHub refused the request" + message.map(text -> ": " + text).orElse(""), response);
        }
        // GitHub redirects requests for a renamed or transferred repository; redirects are never followed, because
        // the token would travel with them.
        throw new IntegrationException(ErrorType.USER_CONFIGURATION_ERROR, answered + "a redirect; if repository "
                + repository + " was renamed or transferred, set \"repository\" to its new owner/name", response);
    }

    /**
     * A rate limit, when the answer says it is one: a {@code retry-after} header (the host waits for it), no requests
     * left until {@code x-ratelimit-reset}, or a message about a rate limit (a secondary limit without a time).
     */
    private static Optional<IntegrationException> rateLimit(OutboundResponse response, String answered,
                                                            Optional<String> message, Clock clock) {
        String limited = answered + "rate limited; ";
        if (response.header("retry-after").isPresent()) {
            return Optional.of(new IntegrationException(ErrorType.TRANSIENT,
                    limited + "GitHub asked to wait " + response.header("retry-after").get().strip() + " s", response));
        }
        if (response.header("x-ratelimit-remaining").map(String::strip).filter("0"::equals).isPresent()) {
            Optional<Instant> reset = response.header("x-ratelimit-reset").flatMap(GitHubReplies::epochSeconds);
            if (reset.isEmpty()) {
                return Optional.of(new IntegrationException(ErrorType.TRANSIENT,
                        limited + "the token has no requests left", response));
            }
            Duration wait = Duration.between(clock.instant(), reset.get());
            return Optional.of(new IntegrationException(limited + "the token has no requests left until "
                    + reset.get(), response, wait.isNegative() ? Duration.ZERO : wait));
        }
        if (message.map(text -> text.toLowerCase(Locale.ROOT).contains("rate limit")).orElse(false)) {
            return Optional.of(new IntegrationException(limited + message.get(), response, SECONDARY_LIMIT_WAIT));
        }
        return Optional.empty();
    }

    /** What the token lacks, from {@code X-Accepted-GitHub-Permissions} (fine-grained tokens, apps) when sent. */
    private static String missingPermission(OutboundResponse response, String repository) {
        Optional<String> permissions = response.header("x-accepted-github-permissions").map(String::strip)
                .filter(value -> !value.isEmpty());
        if (permissions.isPresent()) {
            return "the token lacks the permission this needs (" + permissions.get() + ") on " + repository
                    + "; check setting \"token\"";
        }
        return "the token may not do this in " + repository + "; check setting \"token\": it needs read and write "
                + "access to issues (fine-grained token) or the repo scope (classic token)";
    }

    private static Optional<Instant> epochSeconds(String value) {
        try {
            return Optional.of(Instant.ofEpochSecond(Long.parseLong(value.strip())));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** GitHub's {@code message}, such as {@code "Resource not accessible by personal access token"}. */
    static Optional<String> message(OutboundResponse response) {
        return response.jsonObject().flatMap(json -> text(json, "message"));
    }

    /**
     * The {@code errors} of a 422 ({@code [{"resource", "field", "code", "message"?}]}) in GitHub's words, after its
     * {@code message}: for example {@code "Validation Failed: Issue.title missing_field"}.
     */
    static Optional<String> errors(OutboundResponse response) {
        Optional<JsonObject> json = response.jsonObject();
        if (json.isEmpty()) {
            return Optional.empty();
        }
        List<String> parts = new ArrayList<>();
        if (json.get().get("errors") instanceof JsonArray errors) {
            for (JsonValue error : errors) {
                if (error instanceof JsonObject entry) {
                    Optional<String> text = text(entry, "message");
                    if (text.isPresent()) {
                        parts.add(text.get());
                    } else {
                        String field = text(entry, "resource").map(resource -> resource + ".").orElse("")
                                + text(entry, "field").orElse("");
                        String code = text(entry, "code").orElse("invalid");
                        parts.add(field.isEmpty() ? code : field + " " + code);
                    }
                } else if (error instanceof JsonString text && !text.getString().isBlank()) {
                    parts.add(text.getString());
                }
            }
        }
        Optional<String> message = text(json.get(), "message");
        if (parts.isEmpty()) {
            return message;
        }
        return Optional.of(message.map(text -> text + ": ").orElse("") + String.join("; ", parts));
    }

    static Optional<String> text(JsonObject object, String member) {
        return object.get(member) instanceof JsonString string && !string.getString().isBlank()
                ? Optional.of(string.getString().strip())
                : Optional.empty();
    }
}
