package com.rainforestqa.integrations.plugin.jira;

import static java.util.Objects.requireNonNull;

import com.rainforestqa.integrations.api.Event;
import com.rainforestqa.integrations.api.Integration;
import com.rainforestqa.integrations.api.IntegrationContext;
import com.rainforestqa.integrations.api.Outcome;
import com.rainforestqa.integrations.api.Settings;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Files failed tests and webhook time-outs as Jira {@code Bug}s. Each event has a label ({@code RfTest<test id>},
 * {@code RfRun<run id>}, {@code Integration-Test}); when the project has an open issue with that label the plugin
 * comments on it instead of filing a duplicate. Stateless apart from the nonce source, which is thread-safe.
 */
public final class JiraIntegration implements Integration {
    static final String KEY = "jira";

    private final Supplier<String> nonces;

    /** Called by {@link java.util.ServiceLoader}. */
    public JiraIntegration() {
        this(randomNonces());
    }

    /** For tests that need a known OAuth nonce. */
    JiraIntegration(Supplier<String> nonces) {
        this.nonces = requireNonNull(nonces, "nonces is null");
    }

    @Override
    public String key() {
        return KEY;
    }

    @Override
    public Outcome deliver(Event event, Settings settings, IntegrationContext context) {
        if (!JiraTexts.handles(event.type())) {
            return Outcome.skipped("Jira files no issue for " + event.type());
        }
        JiraSettings jira = JiraSettings.from(settings, context.clock(), nonces);
        IssueDraft draft = JiraTexts.draft(event, jira.projectKey());
        JiraClient client = new JiraClient(jira, context.http());
        Optional<String> open = client.findOpen(draft.label());
        if (open.isPresent()) {
            client.comment(open.get(), draft.comment());
            return new Outcome(Outcome.Status.DELIVERED, "commented on " + open.get());
        }
        return new Outcome(Outcome.Status.DELIVERED, "created " + client.create(draft));
    }

    private static Supplier<String> randomNonces() {
        SecureRandom random = new SecureRandom();
        return () -> {
            byte[] bytes = new byte[16];
            random.nextBytes(bytes);
            return HexFormat.of().formatHex(bytes);
        };
    }
}
