package com.rainforestqa.integrations.plugin.github;

import static java.util.Objects.requireNonNull;

import com.rainforestqa.integrations.api.ErrorType;
import com.rainforestqa.integrations.api.IntegrationException;
import com.rainforestqa.integrations.api.OutboundHttp;
import com.rainforestqa.integrations.api.OutboundRequest;
import com.rainforestqa.integrations.api.OutboundResponse;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The three GitHub REST calls the plugin makes: search the repository for an open issue with a label, create an issue,
 * comment on one. Every request carries the token and pins the API version, so that GitHub's answers keep the shape
 * this class reads.
 */
final class GitHubClient {
    /** Looked up once: each {@code Json.create...} call would look the provider up again. */
    private static final JsonProvider JSON = JsonProvider.provider();

    static final String API_VERSION = "2022-11-28";
    static final String MEDIA_TYPE = "application/vnd.github+json";
    static final String USER_AGENT = "rainforest-integrations";

    private final String apiUrl;
    private final GitHubSettings settings;
    private final OutboundHttp http;
    private final Clock clock;

    /**
     * A client for one delivery.
     *
     * @param apiUrl the REST API's base URL without a trailing slash, {@code https://api.github.com} or a GitHub
     *        Enterprise Server's {@code https://host/api/v3}
     */
    GitHubClient(String apiUrl, GitHubSettings settings, OutboundHttp http, Clock clock) {
        this.apiUrl = requireNonNull(apiUrl, "apiUrl is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.http = requireNonNull(http, "http is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /**
     * The number of an open issue in the repository carrying the label.
     *
     * @return the number, or empty when there is none
     */
    OptionalLong findOpen(String label) {
        // is:issue keeps pull requests out, and the search API now refuses queries without it or is:pull-request.
        String query = "repo:" + settings.repository() + " is:issue state:open label:\"" + label + "\"";
        URI uri = URI.create(apiUrl + "/search/issues?q=" + URLEncoder.encode(query, StandardCharsets.UTF_8)
                + "&per_page=1");
        JsonObject answer = GitHubReplies.check(http.send(authorize(OutboundRequest.get(uri))), "the issue search",
                settings, clock);
        if (answer.get("items") instanceof JsonArray items) {
            for (JsonValue item : items) {
                if (item instanceof JsonObject issue && issue.get("number") instanceof JsonNumber number) {
                    return OptionalLong.of(number.longValue());
                }
            }
        }
        return OptionalLong.empty();
    }

    /**
     * Creates an issue from the draft, labelled with the draft's label and the user's extra labels.
     *
     * @return the new issue's number
     */
    long create(IssueDraft draft) {
        Set<String> labels = new LinkedHashSet<>();
        labels.add(draft.label());
        labels.addAll(settings.extraLabels());
        JsonArrayBuilder labelArray = JSON.createArrayBuilder();
        labels.forEach(labelArray::add);
        String body = JSON.createObjectBuilder()
                .add("title", draft.title())
                .add("body", draft.body())
                .add("labels", labelArray)
                .build().toString();
        JsonObject answer = GitHubReplies.check(post(repositoryPath("/issues"), body), "creating the issue",
                settings, clock);
        if (answer.get("number") instanceof JsonNumber number) {
            return number.longValue();
        }
        throw new IntegrationException(ErrorType.MISCONFIGURED_INTEGRATION,
                "GitHub's answer to creating the issue named no issue number; check the installation's "
                        + "plugins.github_issues.api-url");
    }

    /** Adds a comment to an issue. */
    void comment(long number, String markdown) {
        String body = JSON.createObjectBuilder().add("body", markdown).build().toString();
        GitHubReplies.check(post(repositoryPath("/issues/" + number + "/comments"), body),
                "commenting on issue #" + number, settings, clock);
    }

    // Owner and name were checked to hold only characters that are safe in a path.
    private String repositoryPath(String rest) {
        return apiUrl + "/repos/" + settings.owner() + "/" + settings.name() + rest;
    }

    private OutboundResponse post(String url, String json) {
        return http.send(authorize(OutboundRequest.post(URI.create(url), json)));
    }

    private OutboundRequest authorize(OutboundRequest request) {
        return request.withHeader("Authorization", "Bearer " + settings.token())
                .withHeader("Accept", MEDIA_TYPE)
                .withHeader("X-GitHub-Api-Version", API_VERSION)
                .withHeader("User-Agent", USER_AGENT);
    }
}
