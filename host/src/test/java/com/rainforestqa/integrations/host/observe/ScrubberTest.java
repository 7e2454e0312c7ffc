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
    void webhookUrlsKeepOnlyTheirHost() {
        assertThat(Scrubber.scrub("post to https://hooks.slack.com/services/T0/B0/XyZ failed", List.of()))
                .isEqualTo("post to https://hooks.slack.com/[REDACTED] failed");
        assertThat(Scrubber.scrub("https://prod-12.westus.logic.azure.com:443/workflows/abc/triggers/manual/paths/"
                + "invoke?api-version=2016-06-01&sig=s3cr3t", List.of()))
                .isEqualTo("https://prod-12.westus.logic.azure.com:443/[REDACTED]");
        assertThat(Scrubber.scrub("https://discord.com/api/webhooks/123/tok-en", List.of()))
                .isEqualTo("https://discord.com/api/webhooks/[REDACTED]");
        assertThat(Scrubber.scrub("https://x.environment.api.powerplatform.com/powerautomate/a?sig=z", List.of()))
                .isEqualTo("https://x.environment.api.powerplatform.com/[REDACTED]");
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
        assertThat(Scrubber.scrub("X-TrackerToken=abc123def, api_key: \"k-123456\"", List.of()))
                .isEqualTo("X-TrackerToken=[REDACTED], api_key: \"[REDACTED]\"");
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
        event.setTag("url", "https://hooks.slack.com/services/T/B/s");
        Breadcrumb crumb = new Breadcrumb("called s3t");
        crumb.setData("url", "https://hooks.slack.com/services/T/B/s");
        event.setBreadcrumbs(List.of(crumb));
        event.setRequest(new Request());
        Hint hint = new Hint();
        hint.set(Scrubber.SECRETS_HINT, List.of("s3t"));

        SentryEvent scrubbed = scrubber.execute(event, hint);

        assertThat(scrubbed.getMessage().getFormatted()).isEqualTo("signed with [REDACTED] for [REDACTED]");
        assertThat(scrubbed.getExceptions().get(0).getValue()).isEqualTo("could not post [REDACTED]");
        assertThat(scrubbed.getExtras()).isEqualTo(Map.of("body", "echo [REDACTED]"));
        assertThat(scrubbed.getTags()).isEqualTo(Map.of("url", "https://hooks.slack.com/[REDACTED]"));
        assertThat(scrubbed.getBreadcrumbs().get(0).getMessage()).isEqualTo("called [REDACTED]");
        assertThat(scrubbed.getBreadcrumbs().get(0).getData("url")).isEqualTo("https://hooks.slack.com/[REDACTED]");
        assertThat(scrubbed.getRequest()).isNull();
        assertThat(scrubbed.getUser()).isNull();
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
