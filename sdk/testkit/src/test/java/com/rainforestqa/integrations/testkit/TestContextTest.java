package com.rainforestqa.integrations.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.rainforestqa.integrations.api.ErrorType;
import com.rainforestqa.integrations.api.IntegrationException;
import com.rainforestqa.integrations.api.OutboundRequest;
import com.rainforestqa.integrations.api.OutboundResponse;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import org.junit.jupiter.api.Test;

class TestContextTest {

    @Test
    void sendsTheRequestAsGivenAndReturnsTheAnswer() {
        try (FakeTarget target = FakeTarget.start(); TestContext context = new TestContext()) {
            target.enqueue(Reply.json(201, "{\"id\":7}").withHeader("X-Request-Id", "abc"));

            OutboundResponse response = context.http().send(
                    OutboundRequest.post(target.uri("/issues?notify=false"), "{\"title\":\"t\"}")
                            .withHeader("Authorization", "Bearer secret"));

            assertThat(response.status()).isEqualTo(201);
            assertThat(response.body()).isEqualTo("{\"id\":7}");
            assertThat(response.header("x-request-id")).contains("abc");
            RecordedRequest request = target.onlyRequest();
            assertThat(request.method()).isEqualTo("POST");
            assertThat(request.path()).isEqualTo("/issues");
            assertThat(request.query()).isEqualTo("notify=false");
            assertThat(request.header("content-type")).contains("application/json");
            assertThat(request.header("authorization")).contains("Bearer secret");
            assertThat(request.body()).isEqualTo("{\"title\":\"t\"}");
        }
    }

    @Test
    void redirectsAreNotFollowed() {
        try (FakeTarget target = FakeTarget.start(); TestContext context = new TestContext()) {
            target.enqueue(Reply.status(302).withHeader("Location", target.uri("/elsewhere").toString()));

            OutboundResponse response = context.http().send(OutboundRequest.get(target.uri("/here")));

            assertThat(response.status()).isEqualTo(302);
            assertThat(target.requests()).extracting(RecordedRequest::path).containsExactly("/here");
        }
    }

    @Test
    void unreachableTargetIsTransientAndTheMessageHidesThePath() {
        URI uri;
        try (FakeTarget target = FakeTarget.start()) {
            uri = target.uri("/services/T1/B2/secret");
        }
        try (TestContext context = new TestContext()) {
            IntegrationException e = catchThrowableOfType(IntegrationException.class,
                    () -> context.http().send(OutboundRequest.get(uri)));

            assertThat(e.type()).isEqualTo(ErrorType.TRANSIENT);
            assertThat(e.getMessage()).isEqualTo("could not reach http://127.0.0.1:" + uri.getPort());
            assertThat(e.response()).isEmpty();
        }
    }

    @Test
    void silentTargetTimesOutAsTransient() {
        try (FakeTarget target = FakeTarget.start();
                SimpleOutboundHttp http = new SimpleOutboundHttp(Duration.ofMillis(200))) {
            target.enqueue(Reply.status(200).after(Duration.ofSeconds(30)));

            IntegrationException e = catchThrowableOfType(IntegrationException.class,
                    () -> http.send(OutboundRequest.get(target.uri("/secret"))));

            assertThat(e.type()).isEqualTo(ErrorType.TRANSIENT);
            assertThat(e.getMessage()).isEqualTo("http://127.0.0.1:" + target.port() + " did not answer in time");
        }
    }

    @Test
    void configClockAndJsonbAreLent() {
        Clock clock = Clock.fixed(Instant.parse("2024-05-01T10:00:00Z"), ZoneOffset.UTC);
        try (TestContext context = new TestContext(Map.of("api-url", "http://127.0.0.1:1"), clock)) {
            assertThat(context.config()).containsExactly(Map.entry("api-url", "http://127.0.0.1:1"));
            assertThat(context.clock()).isSameAs(clock);
            assertThat(context.jsonb().toJson(Map.of("a", 1))).isEqualTo("{\"a\":1}");
            assertThat(context.jsonb()).isSameAs(context.jsonb());
            assertThat(context.logger().getName()).isEqualTo(TestContext.class.getName());
        }
    }
}
