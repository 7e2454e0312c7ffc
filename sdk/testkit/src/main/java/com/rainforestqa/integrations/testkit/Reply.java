package com.rainforestqa.integrations.testkit;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One answer a {@link FakeTarget} gives: status, body, headers, and how long to wait before answering.
 *
 * <p>Build one with {@link #status(int, String)} or one of the helpers that answer like a known service, then adjust
 * it with {@link #withHeader} and {@link #after}. Replies are immutable.
 *
 * @param status the HTTP status, 100 to 599
 * @param body the body, sent as UTF-8; empty for none
 * @param headers response headers, one value per name, in the order given
 * @param delay how long the target waits before answering, zero for at once
 */
public record Reply(int status, String body, Map<String, String> headers, Duration delay) {

    /**
     * Checks and copies the components.
     *
     * @throws NullPointerException if a component is null
     * @throws IllegalArgumentException if the status is not 100 to 599 or the delay is negative
     */
    public Reply {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status must be 100 to 599: " + status);
        }
        requireNonNull(body, "body is null");
        requireNonNull(headers, "headers is null");
        requireNonNull(delay, "delay is null");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay is negative: " + delay);
        }
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    /**
     * An answer with a status and no body.
     *
     * @param status the HTTP status
     * @return the reply
     */
    public static Reply status(int status) {
        return status(status, "");
    }

    /**
     * An answer with a status and a body, without a content type.
     *
     * @param status the HTTP status
     * @param body the body
     * @return the reply
     */
    public static Reply status(int status, String body) {
        return new Reply(status, body, Map.of(), Duration.ZERO);
    }

    /**
     * An answer with a JSON body and {@code Content-Type: application/json}.
     *
     * @param status the HTTP status
     * @param json the JSON text
     * @return the reply
     */
    public static Reply json(int status, String json) {
        return status(status, json).withHeader("Content-Type", "application/json");
    }

    /**
     * What a Slack incoming webhook answers when it accepts a message: 200, {@code text/html}, body {@code ok}.
     *
     * @return the reply
     */
    public static Reply slackOk() {
        return slackError(200, "ok");
    }

    /**
     * What a Slack incoming webhook answers when it refuses a message: the error code as a plain-text body, served as
     * {@code text/html} as Slack does (for example 404 {@code channel_not_found}).
     *
     * @param status the HTTP status
     * @param code Slack's error code
     * @return the reply
     */
    public static Reply slackError(int status, String code) {
        return status(status, code).withHeader("Content-Type", "text/html");
    }

    /**
     * What Jira's REST API answers when it refuses a request: {@code {"errorMessages": [...], "errors": {}}}.
     *
     * @param status the HTTP status, for example 400, 401 or 404
     * @param messages Jira's error messages
     * @return the reply
     */
    public static Reply jiraErrors(int status, String... messages) {
        jakarta.json.JsonArrayBuilder list = jakarta.json.Json.createArrayBuilder();
        for (String message : messages) {
            list.add(message);
        }
        return json(status, jakarta.json.Json.createObjectBuilder().add("errorMessages", list)
                .add("errors", jakarta.json.JsonValue.EMPTY_JSON_OBJECT).build().toString());
    }

    /**
     * What Jira answers to {@code POST /rest/api/*}{@code /issue}: 201 with the new issue's id, key and self URL.
     *
     * @param id the issue id
     * @param key the issue key, for example {@code QA-7}
     * @return the reply
     */
    public static Reply jiraIssueCreated(String id, String key) {
        return json(201, jakarta.json.Json.createObjectBuilder().add("id", id).add("key", key)
                .add("self", "https://jira.example.com/rest/api/3/issue/" + id).build().toString());
    }

    /**
     * What a typical JSON API answers to a refused request: {@code {"error": {"code": ..., "message": ...}}}.
     *
     * @param status the HTTP status
     * @param message the error message
     * @return the reply
     */
    public static Reply jsonError(int status, String message) {
        return json(status, jakarta.json.Json.createObjectBuilder().add("error", jakarta.json.Json.createObjectBuilder()
                .add("code", status).add("message", message)).build().toString());
    }

    /**
     * A copy of this reply with one more header, replacing any header of the same name (ignoring case).
     *
     * @param name the header name
     * @param value the header value
     * @return the new reply
     */
    public Reply withHeader(String name, String value) {
        requireNonNull(name, "name is null");
        requireNonNull(value, "value is null");
        Map<String, String> copy = new LinkedHashMap<>();
        headers.forEach((existing, existingValue) -> {
            if (!existing.equalsIgnoreCase(name)) {
                copy.put(existing, existingValue);
            }
        });
        copy.put(name, value);
        return new Reply(status, body, copy, delay);
    }

    /**
     * A copy of this reply that the target sends only after a delay, to test time-outs.
     *
     * @param delay how long to wait before answering
     * @return the new reply
     */
    public Reply after(Duration delay) {
        return new Reply(status, body, headers, delay);
    }
}
