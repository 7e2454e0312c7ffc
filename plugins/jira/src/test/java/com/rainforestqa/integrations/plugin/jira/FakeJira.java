package com.rainforestqa.integrations.plugin.jira;

import static java.util.Objects.requireNonNull;

import com.rainforestqa.integrations.testkit.FakeTarget;
import com.rainforestqa.integrations.testkit.RecordedRequest;
import com.rainforestqa.integrations.testkit.Reply;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small Jira on loopback for tests: both search endpoints, create and comment, for one project ({@value #PROJECT}).
 * It keeps the issues it created (all open), refuses requests whose {@code Authorization} header it does not accept
 * (401), and answers a search endpoint its kind of Jira lacks the way the real one does (Cloud: 410 for the old search;
 * Data Center: 404 for the new one). Scripted replies per route stand in for every other failure.
 */
final class FakeJira implements AutoCloseable {
    static final String PROJECT = "OPS";

    private static final Pattern LABEL = Pattern.compile("labels = \"([^\"]*)\"");
    private static final Pattern PROJECT_CLAUSE = Pattern.compile("project = \"([^\"]*)\"");
    private static final Pattern COMMENT = Pattern.compile("/rest/api/2/issue/([^/]+)/comment");

    /** Which Jira this is, which decides the search endpoint it serves. */
    enum Kind { CLOUD, DATA_CENTER }

    /** The endpoints, for scripting failures. */
    enum Route { SEARCH_JQL, SEARCH, CREATE, COMMENT }

    private final FakeTarget target;
    private final Map<String, String> openIssues = new ConcurrentHashMap<>();
    private final Map<String, List<String>> comments = new ConcurrentHashMap<>();
    private final List<JsonObject> created = new CopyOnWriteArrayList<>();
    private final Map<Route, Queue<Reply>> scripts = new ConcurrentHashMap<>();
    private final AtomicInteger nextIssue = new AtomicInteger(1);
    private volatile Kind kind = Kind.DATA_CENTER;
    private volatile Predicate<String> authorization = header -> true;

    private FakeJira(FakeTarget target) {
        this.target = target;
    }

    static FakeJira start() {
        return on(FakeTarget.start());
    }

    /**
     * A Jira answering on a running target, such as the test harness's; it replaces the target's responder, and
     * closing it closes the target.
     */
    static FakeJira on(FakeTarget target) {
        FakeJira jira = new FakeJira(target);
        // The test kit's server records every request; this fake only decides the answers.
        target.respondWith(jira::answer);
        return jira;
    }

    /** The base URL, without a trailing slash. */
    String baseUrl() {
        return "http://127.0.0.1:" + target.port();
    }

    void kind(Kind kind) {
        this.kind = requireNonNull(kind);
    }

    /** Answers 401 to any request whose {@code Authorization} header (empty when absent) the predicate refuses. */
    void acceptAuthorization(Predicate<String> accepted) {
        this.authorization = requireNonNull(accepted);
    }

    /** Adds an open issue with a label, as if filed earlier. */
    String openIssue(String label) {
        String key = PROJECT + "-" + nextIssue.getAndIncrement();
        openIssues.put(label, key);
        return key;
    }

    /** The next request to a route gets this reply instead of the normal answer. */
    void failNext(Route route, Reply reply) {
        scripts.computeIfAbsent(route, any -> new ConcurrentLinkedQueue<>()).add(reply);
    }

    List<RecordedRequest> requests() {
        return target.requests();
    }

    List<String> paths() {
        return target.requests().stream().map(RecordedRequest::path).toList();
    }

    /** The {@code fields} of each issue created, in order. */
    List<JsonObject> created() {
        return List.copyOf(created);
    }

    List<String> comments(String issueKey) {
        return List.copyOf(comments.getOrDefault(issueKey, List.of()));
    }

    @Override
    public void close() {
        target.close();
    }

    private Reply answer(RecordedRequest request) {
        Matcher comment = COMMENT.matcher(request.path());
        Route route;
        if (!request.method().equals("POST")) {
            return errors(405, "Method not allowed");
        } else if (request.path().equals("/rest/api/3/search/jql")) {
            route = Route.SEARCH_JQL;
        } else if (request.path().equals("/rest/api/2/search")) {
            route = Route.SEARCH;
        } else if (request.path().equals("/rest/api/2/issue")) {
            route = Route.CREATE;
        } else if (comment.matches()) {
            route = Route.COMMENT;
        } else {
            return errors(404, "null for uri: " + request.path());
        }
        Reply scripted = scripts.getOrDefault(route, new ConcurrentLinkedQueue<>()).poll();
        if (scripted != null) {
            return scripted;
        }
        if (!authorization.test(request.header("Authorization").orElse(""))) {
            return errors(401, "You are not authenticated. Authentication required to perform this operation.");
        }
        return switch (route) {
            case SEARCH_JQL -> kind == Kind.CLOUD ? search(request, true) : errors(404, "null for uri: " + request.path());
            case SEARCH -> kind == Kind.DATA_CENTER ? search(request, false) : errors(410,
                    "The requested API has been removed. Please migrate to the /rest/api/3/search/jql API.");
            case CREATE -> create(request);
            case COMMENT -> comment(comment.group(1), request);
        };
    }

    private Reply search(RecordedRequest request, boolean cloud) {
        String jql = request.json().getString("jql");
        Matcher project = PROJECT_CLAUSE.matcher(jql);
        String projectKey = project.find() ? project.group(1) : "";
        if (!projectKey.equals(PROJECT)) {
            return errors(400, "The value '" + projectKey + "' does not exist for the field 'project'.");
        }
        Matcher label = LABEL.matcher(jql);
        JsonArrayBuilder issues = Json.createArrayBuilder();
        String key = label.find() ? openIssues.get(label.group(1)) : null;
        if (key != null && jql.contains("statusCategory != Done")) {
            issues.add(Json.createObjectBuilder().add("id", "100" + key.substring(PROJECT.length() + 1))
                    .add("key", key).add("fields", Json.createObjectBuilder().add("summary", "earlier")));
        }
        JsonObject answer = cloud
                ? Json.createObjectBuilder().add("issues", issues).add("isLast", true).build()
                : Json.createObjectBuilder().add("startAt", 0).add("maxResults", 1)
                        .add("total", key == null ? 0 : 1).add("issues", issues).build();
        return Reply.json(200, answer.toString());
    }

    private Reply create(RecordedRequest request) {
        JsonObject fields = request.json().getJsonObject("fields");
        if (!fields.getJsonObject("project").getString("key").equals(PROJECT)) {
            return Reply.json(400, "{\"errorMessages\":[],\"errors\":{\"project\":\"valid project is required\"}}");
        }
        created.add(fields);
        String key = PROJECT + "-" + nextIssue.getAndIncrement();
        openIssues.put(fields.getJsonArray("labels").getString(0), key);
        return Reply.json(201, Json.createObjectBuilder().add("id", "100" + key.substring(PROJECT.length() + 1))
                .add("key", key).add("self", baseUrl() + "/rest/api/2/issue/" + key).build().toString());
    }

    private Reply comment(String issueKey, RecordedRequest request) {
        if (!openIssues.containsValue(issueKey)) {
            return errors(404, "Issue does not exist or you do not have permission to see it.");
        }
        comments.computeIfAbsent(issueKey, any -> new CopyOnWriteArrayList<>()).add(request.json().getString("body"));
        return Reply.json(201, "{\"id\":\"10100\"}");
    }

    static Reply errors(int status, String message) {
        return Reply.json(status, Json.createObjectBuilder()
                .add("errorMessages", Json.createArrayBuilder().add(message))
                .add("errors", Json.createObjectBuilder()).build().toString());
    }
}
