package com.rainforestqa.integrations.host.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rainforestqa.integrations.api.ErrorType;
import com.rainforestqa.integrations.api.IntegrationException;
import com.rainforestqa.integrations.api.OutboundHttp;
import com.rainforestqa.integrations.api.OutboundRequest;
import com.rainforestqa.integrations.api.OutboundResponse;
import com.rainforestqa.integrations.testkit.FakeTarget;
import com.rainforestqa.integrations.testkit.Reply;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OutboundClientTest {
    private final FakeTarget target = FakeTarget.start();
    private final OutboundClient client = new OutboundClient(Duration.ofSeconds(2), Duration.ofSeconds(2), 16,
            Clock.systemUTC());

    @AfterEach
    void stop() {
        target.close();
    }

    @Test
    void answerIsReturnedWhateverItsStatusWithTheBodyCappedAndHeadersKept() {
        target.setDefaultReply(Reply.status(503, "x".repeat(100)).withHeader("Retry-After", "3"));

        OutboundResponse response = http(Set.of()).send(OutboundRequest.post(target.uri("/hook"), "{\"a\":1}")
                .withHeader("Authorization", "Bearer t"));

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.body()).hasSize(16);
        assertThat(response.header("retry-after")).contains("3");
        assertThat(target.onlyRequest().body()).isEqualTo("{\"a\":1}");
        assertThat(target.onlyRequest().header("authorization")).contains("Bearer t");
    }

    @Test
    void redirectsAreNotFollowed() {
        target.enqueue(Reply.status(302, "").withHeader("Location", target.uri("/elsewhere").toString()));

        OutboundResponse response = http(Set.of()).send(OutboundRequest.get(target.uri("/start")));

        assertThat(response.status()).isEqualTo(302);
        assertThat(target.requests()).hasSize(1);
    }

    @Test
    void hostsOutsideTheAllowedListAreRefusedWithoutSending() {
        assertThatThrownBy(() -> http(Set.of("hooks.slack.com")).send(OutboundRequest.get(target.uri("/x"))))
                .isInstanceOfSatisfying(IntegrationException.class,
                        e -> assertThat(e.type()).isEqualTo(ErrorType.USER_CONFIGURATION_ERROR))
                .hasMessage("the URL's host 127.0.0.1 is not one test may reach (allowed: hooks.slack.com)");
        assertThat(target.requests()).isEmpty();
    }

    @Test
    void wildcardAllowsSubdomains() {
        OutboundResponse response = http(Set.of("*.0.0.1")).send(OutboundRequest.get(target.uri("/x")));

        assertThat(response.status()).isEqualTo(200);
    }

    @Test
    void otherSchemesAreMisconfigured() {
        assertThatThrownBy(() -> http(Set.of()).send(OutboundRequest.get(URI.create("ftp://example.com/file"))))
                .isInstanceOfSatisfying(IntegrationException.class,
                        e -> assertThat(e.type()).isEqualTo(ErrorType.MISCONFIGURED_INTEGRATION));
    }

    @Test
    void unknownHostIsTransientAndNamesOnlyTheHost() {
        assertThatThrownBy(() -> http(Set.of()).send(OutboundRequest.get(
                URI.create("http://no-such-host.invalid/secret-path"))))
                .isInstanceOfSatisfying(IntegrationException.class,
                        e -> assertThat(e.type()).isEqualTo(ErrorType.TRANSIENT))
                .hasMessage("could not reach no-such-host.invalid: unknown host")
                .message().doesNotContain("secret-path");
    }

    @Test
    void slowTargetIsCutOffAtTheDeadline() {
        target.setDefaultReply(Reply.status(200, "ok").after(Duration.ofSeconds(5)));
        OutboundHttp http = client.forDelivery("test", Set.of(), Instant.now().plusMillis(300));

        assertThatThrownBy(() -> http.send(OutboundRequest.get(target.uri("/slow"))))
                .isInstanceOfSatisfying(IntegrationException.class,
                        e -> assertThat(e.type()).isEqualTo(ErrorType.TRANSIENT))
                .hasMessageStartingWith("could not reach 127.0.0.1: no answer in time");
    }

    private OutboundHttp http(Set<String> allowedHosts) {
        return client.forDelivery("test", allowedHosts, Instant.now().plusSeconds(10));
    }
}
