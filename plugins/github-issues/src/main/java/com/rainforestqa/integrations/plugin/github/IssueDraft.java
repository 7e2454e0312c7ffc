package com.rainforestqa.integrations.plugin.github;

import static java.util.Objects.requireNonNull;

/**
 * What the plugin files for one event: the label that finds an open issue about the same thing, the issue to create
 * when there is none, and the comment to add when there is.
 *
 * @param label the issue's label, which identifies what failed, for example {@code rainforest-test-12}
 * @param title the issue's title, one line of plain text
 * @param body the issue's body, GitHub Flavored Markdown
 * @param comment the comment recording a new occurrence on an open issue, GitHub Flavored Markdown
 */
record IssueDraft(String label, String title, String body, String comment) {
    IssueDraft {
        requireNonNull(label, "label is null");
        requireNonNull(title, "title is null");
        requireNonNull(body, "body is null");
        requireNonNull(comment, "comment is null");
        if (!label.matches("[a-z0-9._-]{1," + GitHubSettings.MAX_LABEL + "}")) {
            throw new IllegalArgumentException("label must be 1 to " + GitHubSettings.MAX_LABEL
                    + " lower-case letters, digits, '.', '_' or '-': " + label);
        }
    }
}
