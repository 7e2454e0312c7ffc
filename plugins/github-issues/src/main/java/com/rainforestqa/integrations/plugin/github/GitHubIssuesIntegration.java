package com.rainforestqa.integrations.plugin.github;

import com.rainforestqa.integrations.api.Event;
import com.rainforestqa.integrations.api.Integration;
import com.rainforestqa.integrations.api.IntegrationContext;
import com.rainforestqa.integrations.api.Outcome;
import com.rainforestqa.integrations.api.Settings;

import java.util.OptionalLong;

/**
 * Files failed tests and webhook time-outs as GitHub issues: settings {@code repository} ({@code owner/name}),
 * {@code token} (a secret) and {@code labels} (optional, comma-separated, added to new issues). Each event has a label
 * ({@code rainforest-test-<test id>}, {@code rainforest-run-<run id>}, {@code rainforest-integration-test}; an id too
 * long for a label ends in a digest of it); when the repository has an open issue with that label the plugin
 * comments on it instead of filing a twin. The API's base URL
 * is the operator's {@code plugins.github_issues.api-url}, by default {@value #DEFAULT_API_URL}, so GitHub Enterprise
 * Server works too. Stateless.
 */
public final class GitHubIssuesIntegration implements Integration {
    static final String KEY = "github_issues";
    static final String DEFAULT_API_URL = "https://api.github.com";

    /** Called by {@link java.util.ServiceLoader}. */
    public GitHubIssuesIntegration() {
    }

    @Override
    public String key() {
        return KEY;
    }

    @Override
    public Outcome deliver(Event event, Settings settings, IntegrationContext context) {
        if (!IssueTexts.handles(event.type())) {
            return Outcome.skipped("GitHub Issues files issues only for failed tests and webhook time-outs");
        }
        GitHubSettings github = GitHubSettings.from(settings);
        IssueDraft draft = IssueTexts.draft(event, github.repository());
        GitHubClient client = new GitHubClient(context.apiUrl(DEFAULT_API_URL), github, context.http(),
                context.clock());
        OptionalLong open = client.findOpen(draft.label());
        if (open.isPresent()) {
            client.comment(open.getAsLong(), draft.comment());
            return new Outcome(Outcome.Status.DELIVERED, "commented on " + github.repository() + "#"
                    + open.getAsLong());
        }
        return new Outcome(Outcome.Status.DELIVERED, "created " + github.repository() + "#" + client.create(draft));
    }
}
