package com.rainforestqa.integrations.host.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import org.junit.jupiter.api.Test;

class RedactedThrowableTest {
    @Test
    void printsLikeTheOriginalWithoutItsSecrets() {
        IllegalStateException original = new IllegalStateException("token t0ps3cret refused",
                new java.io.IOException("posting to https://hooks.slack.com/services/T1/B2/xyz failed"));
        original.addSuppressed(new IllegalArgumentException("again t0ps3cret"));

        // The secret settings of the delivery: a token, and a webhook URL whose path is the credential.
        Throwable redacted = RedactedThrowable.of(original, List.of("t0ps3cret",
                "https://hooks.slack.com/services/T1/B2/xyz"));

        assertThat(redacted.getStackTrace()).isEqualTo(original.getStackTrace());
        assertThat(trace(redacted))
                .startsWith("java.lang.IllegalStateException: token [REDACTED] refused")
                .contains("Caused by: java.io.IOException: posting to [REDACTED] failed",
                        "Suppressed: java.lang.IllegalArgumentException: again [REDACTED]",
                        "\tat com.rainforestqa.integrations.host.observe.RedactedThrowableTest"
                                + ".printsLikeTheOriginalWithoutItsSecrets(RedactedThrowableTest.java:")
                .doesNotContain("t0ps3cret", "xyz");
    }

    @Test
    void anErrorWithoutMessageShowsItsClassAlone() {
        assertThat(RedactedThrowable.of(new NoClassDefFoundError(), List.of()).toString())
                .isEqualTo("java.lang.NoClassDefFoundError");
    }

    private static String trace(Throwable thrown) {
        StringWriter text = new StringWriter();
        thrown.printStackTrace(new PrintWriter(text));
        return text.toString();
    }
}
