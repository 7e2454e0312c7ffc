package com.rainforestqa.integrations.plugin.pivotaltracker;

import static java.util.Objects.requireNonNull;

import com.rainforestqa.integrations.api.ErrorType;
import com.rainforestqa.integrations.api.IntegrationException;
import com.rainforestqa.integrations.api.OutboundHttp;
import com.rainforestqa.integrations.api.OutboundRequest;
import com.rainforestqa.integrations.api.OutboundResponse;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

import java.io.StringReader;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One Pivotal Tracker project, reached through API v5 with a user's token ({@code X-TrackerToken}). Each call checks
 * Tracker's answer and throws an {@link IntegrationException} carrying it when Tracker refused. Used for one delivery.
 */
final class TrackerProject {
    /** Looked up once: each {@code Json.create...} call would look the provider up again. */
    private static final JsonProvider JSON = JsonProvider.provider();

    static final String REPEATED_FAILURES = "RepeatedFailures";
    private static final Set<String> FINISHED_STATES = Set.of("delivered", "accepted");

    private final OutboundHttp http;
    private final String projectUrl;
    private final String token;

    /**
     * A project.
     *
     * @param http the host's outbound HTTP
     * @param apiUrl the API's base URL without a trailing slash, for example
     *        {@code https://www.pivotaltracker.com/services/v5}
     * @param projectId the project's id, digits only (it goes into paths as it is)
     * @param token the user's API token
     */
    TrackerProject(OutboundHttp http, String apiUrl, String projectId, String token) {
        this.http = requireNonNull(http, "http is null");
        if (!projectId.matches("[0-9]+")) {
            throw new IllegalArgumentException("projectId is not a number");
        }
        this.projectUrl = requireNonNull(apiUrl, "apiUrl is null") + "/projects/" + projectId;
        this.token = requireNonNull(token, "token is null");
    }

    /**
     * The first story with the label that is not yet delivered or accepted: a failure already filed and still open.
     *
     * @param label the label to look for
     * @return the story as Tracker sent it, or empty when there is none
     */
    Optional<JsonObject> findOpenStory(String label) {
        String query = URLEncoder.encode("label:\"" + label + "\"", StandardCharsets.UTF_8).replace("+", "%20");
        OutboundResponse response = send(new OutboundRequest("GET", URI.create(projectUrl + "/search?query=" + query),
                Map.of("Accept", "application/json"), new byte[0]), "the story search");
        JsonObject body = object(response, "the story search");
        if (!(body.get("stories") instanceof JsonObject stories)
                || !(stories.get("stories") instanceof JsonArray list)) {
            throw unreadable(response, "the story search");
        }
        // Tracker's search also matches labels that merely contain the text, so the label is checked here.
        for (JsonValue value : list) {
            if (value instanceof JsonObject story && hasLabel(story, label)
                    && !FINISHED_STATES.contains(text(story.get("current_state")).toLowerCase(Locale.ROOT))) {
                return Optional.of(story);
            }
        }
        return Optional.empty();
    }

    /**
     * Marks a story as failing again: its labels stay, and {@value #REPEATED_FAILURES} is added.
     *
     * @param story the story as the search returned it
     */
    void markRepeated(JsonObject story) {
        Set<String> names = new LinkedHashSet<>(labelNames(story));
        names.add(REPEATED_FAILURES);
        JsonArrayBuilder labels = JSON.createArrayBuilder();
        names.forEach(name -> labels.add(JSON.createObjectBuilder().add("name", name)));
        String body = JSON.createObjectBuilder().add("labels", labels).build().toString();
        send(json("PUT", URI.create(projectUrl + "/stories/" + storyId(story)), body), "the story update");
    }

    /**
     * Files a new bug story with the failure's label and, when there is one, its comment.
     *
     * @param failure the story to file
     */
    void create(FailureStory failure) {
        String body = JSON.createObjectBuilder()
                .add("name", failure.name())
                .add("story_type", "bug")
                .add("description", failure.description())
                .add("labels", JSON.createArrayBuilder().add(JSON.createObjectBuilder().add("name", failure.label())))
                .build().toString();
        OutboundResponse response = send(json("POST", URI.create(projectUrl + "/stories"), body), "the new story");
        if (failure.comment().isPresent()) {
            String id = storyId(object(response, "the new story"));
            String comment = JSON.createObjectBuilder().add("text", failure.comment().get()).build().toString();
            send(json("POST", URI.create(projectUrl + "/stories/" + id + "/comments"), comment), "the story comment");
        }
    }

    private OutboundRequest json(String method, URI uri, String body) {
        OutboundRequest post = OutboundRequest.post(uri, body);
        return new OutboundRequest(method, uri, post.headers(), post.body());
    }

    private OutboundResponse send(OutboundRequest request, String step) {
        OutboundResponse response = http.send(request.withHeader("X-TrackerToken", token));
        TrackerReplies.check(response, step);
        return response;
    }

    private static JsonObject object(OutboundResponse response, String step) {
        try (JsonReader reader = JSON.createReader(new StringReader(response.body()))) {
            if (reader.readValue() instanceof JsonObject object) {
                return object;
            }
        } catch (JsonException e) {
            throw unreadable(response, step);
        }
        throw unreadable(response, step);
    }

    // Story ids go into paths, so only plain numbers are accepted from the answer.
    private static String storyId(JsonObject story) {
        JsonValue id = story.get("id");
        String text = id instanceof JsonNumber number && number.isIntegral() ? number.bigIntegerValue().toString()
                : text(id);
        if (!text.matches("[0-9]+")) {
            throw new IntegrationException(ErrorType.MISCONFIGURED_INTEGRATION,
                    "Pivotal Tracker sent a story without a numeric id; check plugins.pivotal_tracker.api-url");
        }
        return text;
    }

    private static boolean hasLabel(JsonObject story, String label) {
        return labelNames(story).stream().anyMatch(name -> name.equalsIgnoreCase(label));
    }

    private static Set<String> labelNames(JsonObject story) {
        Set<String> names = new LinkedHashSet<>();
        if (story.get("labels") instanceof JsonArray labels) {
            for (JsonValue label : labels) {
                String name = label instanceof JsonObject object ? text(object.get("name")) : text(label);
                if (!name.isEmpty()) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    private static String text(JsonValue value) {
        return value instanceof JsonString string ? string.getString() : "";
    }

    // A 2xx that is not Tracker's JSON comes from something else at the configured URL: the operator's to fix.
    private static IntegrationException unreadable(OutboundResponse response, String step) {
        return new IntegrationException(ErrorType.MISCONFIGURED_INTEGRATION, "Pivotal Tracker's answer to " + step
                + " was not the JSON it sends; check plugins.pivotal_tracker.api-url", response);
    }
}
