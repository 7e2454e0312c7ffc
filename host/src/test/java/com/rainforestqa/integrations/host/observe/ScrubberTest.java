package com.rainforestqa.integrations.host.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.sentry.Breadcrumb;
import io.sentry.Hint;
import io.sentry.SentryEvent;
import io.sentry.protocol.Message;
import io.sentry.protocol.Request;
import io.sentry.protocol.SentryException;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** What the last guard removes from a report before it leaves the host. */
class ScrubberTest {
    private final Scrubber scrubber = new Scrubber(Set.of("the-signing-key"));

    @Test
    void knownSecretsAreRemovedLongestFirst() {
        assertThat(Scrubber.scrub("token abc and abcdef", List.of("abcdef", "abc")))
                .isEqualTo("token [REDACTED] and [REDACTED]");
    }

    @Test
    void aSecretUrlIsRemovedWithItsPathAndQueryAlsoWhenQuotedApartOrEncoded() {
        // A webhook URL that a plugin's schema declares secret, on a host the host knows nothing of.
        SentryEvent event = eventWithMessage("post to https://chat.acme.example/hooks/T0/B0/XyZ-tok3n?sig=s3cr3t-sig"
                + " failed; the target answered: no hook /hooks/T0/B0/XyZ-tok3n (callback https%3A%2F%2Fchat.acme."
                + "example%2Fhooks%2FT0%2FB0%2FXyZ-tok3n%3Fsig%3Ds3cr3t-sig)");

        String scrubbed = scrubber.execute(event, hintWith("https://chat.acme.example/hooks/T0/B0/XyZ-tok3n"
                + "?sig=s3cr3t-sig")).getMessage().getFormatted();

        assertThat(scrubbed).isEqualTo("post to [REDACTED] failed; the target answered: no hook [REDACTED]"
                + " (callback [REDACTED])");
    }

    @Test
    void urlsThatNoPluginDeclaredSecretKeepTheirPath() {
        assertThat(Scrubber.scrub("see https://status.acme.example/incidents/42 for more", List.of()))
                .isEqualTo("see https://status.acme.example/incidents/42 for more");
    }

    @Test
    void credentialsInOtherUrlsAreRemoved() {
        assertThat(Scrubber.scrub("GET https://user:pw@jira.example.com/rest?token=abc&x=1 failed", List.of()))
                .isEqualTo("GET https://[REDACTED]@jira.example.com/rest?[REDACTED] failed");
    }

    @Test
    void authorizationValuesAreRemoved() {
        assertThat(Scrubber.scrub("sent Authorization: Bearer eyJhbGciOi.x.y", List.of()))
                .doesNotContain("eyJhbGciOi");
        assertThat(Scrubber.scrub("X-TrackerToken=abc123def, api_key: \"k-123456\", X-Acme-Api-Key: zz-9", List.of()))
                .isEqualTo("X-TrackerToken=[REDACTED], api_key: \"[REDACTED]\", X-Acme-Api-Key: [REDACTED]");
        assertThat(Scrubber.scrub("the secret setting is missing", List.of()))
                .isEqualTo("the secret setting is missing");
    }

    @Test
    void everyTextOfAnEventIsScrubbedAndRequestAndUserAreDropped() {
        SentryEvent event = new SentryEvent();
        Message message = new Message();
        message.setFormatted("signed with the-signing-key for s3t");
        event.setMessage(message);
        SentryException exception = new SentryException();
        exception.setValue("could not post s3t");
        event.setExceptions(List.of(exception));
        event.setExtra("body", "echo s3t");
        event.setTag("url", "https://chat.acme.example/services/T/B/s3cret");
        Breadcrumb crumb = new Breadcrumb("called s3t");
        crumb.setData("url", "https://chat.acme.example/services/T/B/s3cret");
        event.setBreadcrumbs(List.of(crumb));
        event.setRequest(new Request());
        Hint hint = new Hint();
        hint.set(Scrubber.SECRETS_HINT, List.of("s3t", "https://chat.acme.example/services/T/B/s3cret"));

        SentryEvent scrubbed = scrubber.execute(event, hint);

        assertThat(scrubbed.getMessage().getFormatted()).isEqualTo("signed with [REDACTED] for [REDACTED]");
        assertThat(scrubbed.getExceptions().get(0).getValue()).isEqualTo("could not post [REDACTED]");
        assertThat(scrubbed.getExtras()).isEqualTo(Map.of("body", "echo [REDACTED]"));
        assertThat(scrubbed.getTags()).isEqualTo(Map.of("url", "[REDACTED]"));
        assertThat(scrubbed.getBreadcrumbs().get(0).getMessage()).isEqualTo("called [REDACTED]");
        assertThat(scrubbed.getBreadcrumbs().get(0).getData("url")).isEqualTo("[REDACTED]");
        assertThat(scrubbed.getRequest()).isNull();
        assertThat(scrubbed.getUser()).isNull();
    }

    private static SentryEvent eventWithMessage(String text) {
        SentryEvent event = new SentryEvent();
        Message message = new Message();
        message.setFormatted(text);
        event.setMessage(message);
        return event;
    }

    private static Hint hintWith(String... secrets) {
        Hint hint = new Hint();
        hint.set(Scrubber.SECRETS_HINT, List.of(secrets));
        return hint;
    }

    @Test
    void reportsOfUnknownOriginLoseTheirExceptionMessages() {
        SentryEvent event = new SentryEvent();
        SentryException exception = new SentryException();
        exception.setType("NullPointerException");
        exception.setValue("anything at all");
        event.setExceptions(List.of(exception));
        Hint hint = new Hint();
        hint.set(Scrubber.WITHOUT_MESSAGES_HINT, true);

        assertThat(scrubber.execute(event, hint).getExceptions().get(0).getValue()).isNull();
    }
}
