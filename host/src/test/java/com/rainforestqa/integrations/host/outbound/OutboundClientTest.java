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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OutboundClientTest {
    private final FakeTarget target = FakeTarget.start();
    private final OutboundClient client = new OutboundClient(Duration.ofSeconds(2), Duration.ofSeconds(2), 16, true, false,
            Clock.systemUTC());
    private final OutboundClient guarded = new OutboundClient(Duration.ofSeconds(2), Duration.ofSeconds(2), 16, false, false,
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
    void pathAndQueryAreSentAsWrittenWithoutReEncoding() {
        // Signed webhook URLs (Teams Workflows, for one) break if their encoding changes.
        String query = "b=2&a=1&sp=%2Ftriggers%2Fmanual%2Frun&sig=abc%2Bdef%3D&empty=";

        http(Set.of()).send(OutboundRequest.post(target.uri("/workflows/x%2Fy/run?" + query), "{}"));

        assertThat(target.onlyRequest().path()).isEqualTo("/workflows/x%2Fy/run");
        assertThat(target.onlyRequest().query().split("&"))
                .containsExactlyInAnyOrder("b=2", "a=1", "sp=%2Ftriggers%2Fmanual%2Frun", "sig=abc%2Bdef%3D", "empty=");
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
    void hostNamesMatchWithoutRegardToCase() {
        target.enqueue(Reply.status(200, "one"));
        target.enqueue(Reply.status(200, "two"));
        URI url = URI.create("http://LocalHost:" + target.uri("/x").getPort() + "/x");

        assertThat(http(Set.of("localHOST")).send(OutboundRequest.get(url)).body()).isEqualTo("one");
        assertThat(http(Set.of("*.LocalHost", "LOCALHOST")).send(OutboundRequest.get(url)).body()).isEqualTo("two");
        assertThatThrownBy(() -> http(Set.of("*.localhost")).send(OutboundRequest.get(url)))
                .hasMessageContaining("is not one test may reach");
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

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "localhost", "2130706433", "[::1]", "[::ffff:127.0.0.1]",
            "[::127.0.0.1]", "0.0.0.0", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1",
            "169.254.169.254", "100.64.0.1", "100.127.255.254", "[fc00::1]", "[fd12:3456::1]", "[fe80::1]",
            "224.0.0.1", "255.255.255.255", "[::]"})
    void nonPublicAddressesAreRefusedByDefault(String host) {
        URI uri = URI.create("http://" + host + ":" + target.port() + "/hook");

        assertThatThrownBy(() -> guarded.forDelivery("test", Set.of(), Instant.now().plusSeconds(5))
                .send(OutboundRequest.get(uri)))
                .isInstanceOfSatisfying(IntegrationException.class,
                        e -> assertThat(e.type()).isEqualTo(ErrorType.USER_CONFIGURATION_ERROR))
                .hasMessageStartingWith("the target URL is not allowed: ")
                .hasMessageEndingWith("; integrations may only reach public addresses");
        assertThat(target.requests()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0x7f.0.0.1", "017700000001", "127.1"})
    void otherSpellingsOfLoopbackNeverReachIt(String host) {
        URI uri = URI.create("http://" + host + ":" + target.port() + "/hook");

        assertThatThrownBy(() -> guarded.forDelivery("test", Set.of(), Instant.now().plusSeconds(5))
                .send(OutboundRequest.get(uri)))
                .isInstanceOf(IntegrationException.class);
        assertThat(target.requests()).isEmpty();
    }

    @Test
    void plainHttpIsRefusedWhenHttpsIsRequired() {
        OutboundClient httpsOnly = new OutboundClient(Duration.ofSeconds(2), Duration.ofSeconds(2), 16, true, true,
                Clock.systemUTC());

        assertThatThrownBy(() -> httpsOnly.forDelivery("test", Set.of(), Instant.now().plusSeconds(5))
                .send(OutboundRequest.get(target.uri("/hook"))))
                .isInstanceOfSatisfying(IntegrationException.class,
                        e -> assertThat(e.type()).isEqualTo(ErrorType.USER_CONFIGURATION_ERROR))
                .hasMessage("the target URL must use https: this installation refuses plain http");
        assertThat(target.requests()).isEmpty();
    }

    @Test
    void publicAddressesPassTheGuard() {
        assertThat(AddressGuard.forbidden(address("93.184.216.34"))).isEmpty();
        assertThat(AddressGuard.forbidden(address("2606:2800:220:1:248:1893:25c8:1946"))).isEmpty();
        assertThat(AddressGuard.forbidden(address("100.128.0.1"))).isEmpty();
        assertThat(AddressGuard.forbidden(address("172.32.0.1"))).isEmpty();
    }

    private static java.net.InetAddress address(String literal) {
        try {
            return java.net.InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private OutboundHttp http(Set<String> allowedHosts) {
        return client.forDelivery("test", allowedHosts, Instant.now().plusSeconds(10));
    }
}
