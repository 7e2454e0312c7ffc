package com.rainforestqa.integrations.plugin.github;

import static java.util.Objects.requireNonNull;

import com.rainforestqa.integrations.testkit.FakeTarget;
import com.rainforestqa.integrations.testkit.RecordedRequest;
import com.rainforestqa.integrations.testkit.Reply;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small GitHub REST API on loopback for tests: issue search, create and comment, for one repository
 * ({@value #REPOSITORY}). It keeps the issues it created (all open), answers 401 "Bad credentials" to any token but
 * {@link #TOKEN}, and answers like GitHub for a repository it does not have (a 422 from the search, 404 elsewhere) and
 * for a search without {@code is:issue} (422). It also serves the API under {@value #ENTERPRISE_PREFIX}, as GitHub
 * Enterprise Server does. Scripted replies per route stand in for every other failure.
 */
final class FakeGitHub implements AutoCloseable {
    static final String REPOSITORY = "octocat/hello-world";
    static final String TOKEN = "ghp_goodtoken1234567890";
    static final String ENTERPRISE_PREFIX = "/api/v3";

    private static final Pattern LABEL = Pattern.compile("label:\"([^\"]*)\"");
    private static final Pattern REPO = Pattern.compile("repo:(\\S+)");
    private static final Pattern CREATE = Pattern.compile("/repos/([^/]+/[^/]+)/issues");
    private static final Pattern COMMENT = Pattern.compile("/repos/([^/]+/[^/]+)/issues/([0-9]+)/comments");

    /** The endpoints, for scripting failures. */
    enum Route { SEARCH, CREATE, COMMENT }

    private final FakeTarget target;
    private final Map<String, Long> openIssues = new ConcurrentHashMap<>();
    private final Map<Long, List<String>> comments = new ConcurrentHashMap<>();
    private final List<JsonObject> created = new CopyOnWriteArrayList<>();
    private final Map<Route, Queue<Reply>> scripts = new ConcurrentHashMap<>();
    private final AtomicLong nextIssue = new AtomicLong(1);

    private FakeGitHub(FakeTarget target) {
        this.target = target;
    }

    static FakeGitHub start() {
        return on(FakeTarget.start());
    }

    /**
     * A GitHub answering on a running target, such as the test harness's; it replaces the target's responder, and
     * closing it closes the target.
     */
    static FakeGitHub on(FakeTarget target) {
        FakeGitHub github = new FakeGitHub(target);
        // The test kit's server records every request; this fake only decides the answers.
        target.respondWith(github::answer);
        return github;
    }

    /** The API's base URL, without a trailing slash. */
    String baseUrl() {
        return "http://127.0.0.1:" + target.port();
    }

    /** Adds an open issue with a label, as if filed earlier. */
    long openIssue(String label) {
        long number = nextIssue.getAndIncrement();
        openIssues.put(label, number);
        return number;
    }

    /** The next request to a route gets this reply instead of the normal answer. */
    void failNext(Route route, Reply reply) {
        scripts.computeIfAbsent(route, any -> new ConcurrentLinkedQueue<>()).add(requireNonNull(reply));
    }

    List<RecordedRequest> requests() {
        return target.requests();
    }

    /** Each request as {@code METHOD path}, in order. */
    List<String> calls() {
        return target.requests().stream().map(request -> request.method() + " " + request.path()).toList();
    }

    /** The body of each issue created, in order. */
    List<JsonObject> created() {
        return List.copyOf(created);
    }

    List<String> comments(long number) {
        return List.copyOf(comments.getOrDefault(number, List.of()));
    }

    /** Forgets requests, issues, comments and scripted replies, so that one fake can serve several tests. */
    void reset() {
        target.reset();
        target.respondWith(this::answer);
        openIssues.clear();
        comments.clear();
        created.clear();
        scripts.clear();
        nextIssue.set(1);
    }

    @Override
    public void close() {
        target.close();
    }

    private Reply answer(RecordedRequest request) {
        // GitHub Enterprise Server serves the same API under /api/v3.
        String path = request.path().startsWith(ENTERPRISE_PREFIX + "/")
                ? request.path().substring(ENTERPRISE_PREFIX.length()) : request.path();
        Matcher create = CREATE.matcher(path);
        Matcher comment = COMMENT.matcher(path);
        Route route;
        if (request.method().equals("GET") && path.equals("/search/issues")) {
            route = Route.SEARCH;
        } else if (request.method().equals("POST") && create.matches()) {
            route = Route.CREATE;
        } else if (request.method().equals("POST") && comment.matches()) {
            route = Route.COMMENT;
        } else {
            return message(404, "Not Found");
        }
        Reply scripted = scripts.getOrDefault(route, new ConcurrentLinkedQueue<>()).poll();
        if (scripted != null) {
            return scripted;
        }
        if (!request.header("Authorization").orElse("").equals("Bearer " + TOKEN)) {
            return message(401, "Bad credentials");
        }
        return switch (route) {
            case SEARCH -> search(request);
            case CREATE -> create.group(1).equals(REPOSITORY) ? create(request) : message(404, "Not Found");
            case COMMENT -> comment.group(1).equals(REPOSITORY)
                    ? comment(Long.parseLong(comment.group(2)), request) : message(404, "Not Found");
        };
    }

    private Reply search(RecordedRequest request) {
        String q = "";
        for (String parameter : request.query().split("&")) {
            if (parameter.startsWith("q=")) {
                q = URLDecoder.decode(parameter.substring(2), StandardCharsets.UTF_8);
            }
        }
        Matcher repo = REPO.matcher(q);
        if (!repo.find() || !repo.group(1).equals(REPOSITORY)) {
            return validationFailed("{\"message\": \"The listed users and repositories cannot be searched either "
                    + "because the resources do not exist or you do not have permission to view them.\", "
                    + "\"resource\": \"Search\", \"field\": \"q\", \"code\": \"invalid\"}");
        }
        if (!q.contains("is:issue")) {
            return validationFailed("{\"message\": \"Query must include 'is:issue' or 'is:pull-request'\", "
                    + "\"resource\": \"Search\", \"field\": \"q\", \"code\": \"invalid\"}");
        }
        Matcher label = LABEL.matcher(q);
        Long number = label.find() && q.contains("state:open") ? openIssues.get(label.group(1)) : null;
        JsonArrayBuilder items = Json.createArrayBuilder();
        if (number != null) {
            items.add(Json.createObjectBuilder().add("number", number).add("state", "open")
                    .add("html_url", "https://github.com/" + REPOSITORY + "/issues/" + number));
        }
        return Reply.json(200, Json.createObjectBuilder().add("total_count", number == null ? 0 : 1)
                .add("incomplete_results", false).add("items", items).build().toString());
    }

    private Reply create(RecordedRequest request) {
        JsonObject issue = request.json();
        if (!issue.containsKey("title")) {
            return validationFailed("{\"resource\": \"Issue\", \"field\": \"title\", \"code\": \"missing_field\"}");
        }
        created.add(issue);
        long number = nextIssue.getAndIncrement();
        openIssues.put(issue.getJsonArray("labels").getString(0), number);
        return Reply.json(201, Json.createObjectBuilder().add("number", number).add("state", "open")
                .add("html_url", "https://github.com/" + REPOSITORY + "/issues/" + number).build().toString());
    }

    private Reply comment(long number, RecordedRequest request) {
        if (!openIssues.containsValue(number)) {
            return message(404, "Not Found");
        }
        comments.computeIfAbsent(number, any -> new CopyOnWriteArrayList<>()).add(request.json().getString("body"));
        return Reply.json(201, "{\"id\": 1001, \"body\": \"...\"}");
    }

    static Reply message(int status, String message) {
        return Reply.json(status, Json.createObjectBuilder().add("message", message)
                .add("documentation_url", "https://docs.github.com/rest").add("status", String.valueOf(status))
                .build().toString());
    }

    private static Reply validationFailed(String error) {
        return Reply.json(422, "{\"message\": \"Validation Failed\", \"errors\": [" + error + "], "
                + "\"documentation_url\": \"https://docs.github.com/v3/search/\", \"status\": \"422\"}");
    }
}
