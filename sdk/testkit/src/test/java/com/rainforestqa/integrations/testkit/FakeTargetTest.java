package com.rainforestqa.integrations.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.json.Json;
import jakarta.json.JsonException;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FakeTargetTest {
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final FakeTarget target = FakeTarget.start();

    @AfterEach
    void close() {
        target.close();
        client.close();
    }

    @Test
    void uriPointsAtLoopbackAndPort() {
        assertThat(target.uri("/services/T/B/X"))
                .isEqualTo(URI.create("http://127.0.0.1:" + target.port() + "/services/T/B/X"));
        assertThatThrownBy(() -> target.uri("services"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("path must start with /: services");
    }

    @Test
    void recordsMethodPathQueryHeadersAndBody() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(target.uri("/a%20b/c?x=1&y=%2F"))
                        .header("Content-Type", "application/json")
                        .header("X-Multi", "one")
                        .header("x-multi", "two")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"héllo\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("ok");
        RecordedRequest request = target.onlyRequest();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/a%20b/c");
        assertThat(request.query()).isEqualTo("x=1&y=%2F");
        assertThat(request.header("CONTENT-TYPE")).contains("application/json");
        assertThat(request.headers().get("x-multi")).containsExactly("one", "two");
        assertThat(request.header("absent")).isEmpty();
        assertThat(request.body()).isEqualTo("{\"text\":\"héllo\"}");
        assertThat(request.json()).isEqualTo(Json.createObjectBuilder().add("text", "héllo").build());
    }

    @Test
    void requestWithoutQueryOrBodyRecordsEmptyStrings() throws Exception {
        get("/plain");

        RecordedRequest request = target.onlyRequest();
        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.query()).isEmpty();
        assertThat(request.body()).isEmpty();
        assertThatThrownBy(request::json).isInstanceOf(JsonException.class);
    }

    @Test
    void jsonOfANonObjectBodyFails() {
        RecordedRequest request = new RecordedRequest("POST", "/", "", Map.of(), "[1]");

        assertThatThrownBy(request::json)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("body is not a JSON object: [1]");
    }

    @Test
    void answersFromTheScriptInOrderThenWithTheDefault() throws Exception {
        target.enqueue(Reply.status(503, "busy"), Reply.json(201, "{\"id\":1}"));

        HttpResponse<String> first = get("/1");
        HttpResponse<String> second = get("/2");
        HttpResponse<String> third = get("/3");

        assertThat(first.statusCode()).isEqualTo(503);
        assertThat(first.body()).isEqualTo("busy");
        assertThat(second.statusCode()).isEqualTo(201);
        assertThat(second.body()).isEqualTo("{\"id\":1}");
        assertThat(second.headers().firstValue("content-type")).contains("application/json");
        assertThat(third.statusCode()).isEqualTo(200);
        assertThat(third.body()).isEqualTo("ok");
        assertThat(target.requests()).extracting(RecordedRequest::path).containsExactly("/1", "/2", "/3");
    }

    @Test
    void defaultReplyCanBeChanged() throws Exception {
        target.setDefaultReply(Reply.status(204));

        HttpResponse<String> response = get("/");

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.body()).isEmpty();
    }

    @Test
    void replyHeadersAreSentAndDelayIsWaited() throws Exception {
        target.enqueue(Reply.status(429, "slow down").withHeader("Retry-After", "3").after(Duration.ofMillis(300)));

        long started = System.nanoTime();
        HttpResponse<String> response = get("/");
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(response.statusCode()).isEqualTo(429);
        assertThat(response.headers().firstValue("retry-after")).contains("3");
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void slackRepliesLookLikeSlack() throws Exception {
        target.enqueue(Reply.slackOk(), Reply.slackError(404, "channel_not_found"));

        HttpResponse<String> ok = get("/");
        HttpResponse<String> error = get("/");

        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("ok");
        assertThat(ok.headers().firstValue("content-type")).contains("text/html");
        assertThat(error.statusCode()).isEqualTo(404);
        assertThat(error.body()).isEqualTo("channel_not_found");
        assertThat(error.headers().firstValue("content-type")).contains("text/html");
    }

    @Test
    void withHeaderReplacesAHeaderOfTheSameNameIgnoringCase() {
        Reply reply = Reply.json(200, "{}").withHeader("content-type", "text/plain");

        assertThat(reply.headers()).containsExactly(Map.entry("content-type", "text/plain"));
    }

    @Test
    void replyRejectsImpossibleValues() {
        assertThatThrownBy(() -> Reply.status(99)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("status must be 100 to 599: 99");
        assertThatThrownBy(() -> Reply.status(200).after(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("delay is negative: PT-1S");
    }

    @Test
    void onlyRequestFailsUnlessExactlyOneArrived() throws Exception {
        assertThatThrownBy(target::onlyRequest)
                .isInstanceOf(AssertionError.class)
                .hasMessage("expected exactly one request, got 0: []");

        get("/1");
        get("/2");

        assertThatThrownBy(target::onlyRequest)
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("expected exactly one request, got 2: ");
    }

    @Test
    void requestsIsASnapshot() throws Exception {
        List<RecordedRequest> before = target.requests();

        get("/");

        assertThat(before).isEmpty();
        assertThat(target.requests()).hasSize(1);
    }

    @Test
    void closedTargetRefusesConnections() {
        URI uri = target.uri("/");
        target.close();

        assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(ConnectException.class);
    }

    @Test
    void closeDoesNotWaitForDelayedReplies() throws Exception {
        target.enqueue(Reply.status(200).after(Duration.ofMinutes(5)));
        var pending = client.sendAsync(HttpRequest.newBuilder(target.uri("/")).build(),
                HttpResponse.BodyHandlers.ofString());
        while (target.requests().isEmpty()) {
            Thread.sleep(10);
        }

        long started = System.nanoTime();
        target.close();

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(pending).failsWithin(Duration.ofSeconds(5)).withThrowableOfType(Exception.class)
                .withRootCauseInstanceOf(IOException.class);
    }

    @Test
    void aResponderAnswersFromTheRequestAfterTheScriptAndUntilReset() throws Exception {
        target.respondWith(request -> Reply.json(200, "{\"path\":\"" + request.path() + "\"}"));
        target.enqueue(Reply.status(503));

        assertThat(get("/first").statusCode()).isEqualTo(503);
        assertThat(get("/second").body()).isEqualTo("{\"path\":\"/second\"}");
        assertThat(target.requests()).extracting(RecordedRequest::path).containsExactly("/first", "/second");

        target.reset();
        assertThat(get("/third").body()).isEqualTo("ok");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(target.uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
