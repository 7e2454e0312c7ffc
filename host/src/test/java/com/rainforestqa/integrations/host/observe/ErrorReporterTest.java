package com.rainforestqa.integrations.host.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rainforestqa.integrations.host.config.HostConfig;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

/** Sentry off by default, and a DSN that cannot be used stops the start without quoting it. */
class ErrorReporterTest {
    @Test
    void noDsnOrAnEmptyOneMeansOffAndEveryReportIsANoOp() {
        for (String yaml : List.of("{}", "sentry:\n  dsn: \"\"\n", "sentry:\n  dsn: \"  \"\n")) {
            ErrorReporter reporter = ErrorReporter.create(HostConfig.fromYaml(yaml).get("sentry"), Optional.empty());

            assertThat(reporter.enabled()).as(yaml).isFalse();
            reporter.unexpected(new IllegalStateException("x"), Map.of("k", "v"));
            reporter.pluginFailure(new IllegalStateException("x"), "slack", "run_error", "1.0", List.of());
            reporter.misconfigured("slack", "run_error", "1.0", "bad", OptionalInt.empty(), List.of());
            reporter.close();
        }
    }

    @Test
    void anUnusableDsnIsRefusedWithoutQuotingIt() {
        assertThatThrownBy(() -> ErrorReporter.create(HostConfig.fromYaml("sentry:\n  dsn: \"nota-dsn-s3cr3t\"\n")
                .get("sentry"), Optional.empty()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("sentry.dsn is not a valid Sentry DSN")
                .hasMessageNotContaining("s3cr3t");
    }

    @Test
    void oneKindOfUnexpectedExceptionIsReportedOnceAMinute() {
        try (FakeSentry sentry = FakeSentry.start()) {
            ErrorReporter reporter = ErrorReporter.create(HostConfig.fromYaml("sentry:\n  dsn: \"" + sentry.dsn()
                    + "\"\n").get("sentry"), Optional.empty());
            for (int i = 0; i < 50; i++) {
                reporter.unexpected(new IllegalStateException("again " + i), Map.of("http.path", "/events"));
            }
            reporter.unexpected(new IllegalArgumentException("another kind"), Map.of("http.path", "/events"));
            reporter.unexpected(new IllegalStateException("elsewhere"), Map.of("http.path", "/integrations"));
            reporter.close();

            assertThat(sentry.events()).hasSize(3);
        }
    }

    @Test
    void theReleaseDefaultsToTheServiceVersion() {
        assertThat(ErrorReporter.serviceVersion()).matches("\\d+\\.\\d+\\.\\d+.*");
    }
}
