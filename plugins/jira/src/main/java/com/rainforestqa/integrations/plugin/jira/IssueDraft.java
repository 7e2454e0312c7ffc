package com.rainforestqa.integrations.plugin.jira;

import static java.util.Objects.requireNonNull;

/**
 * What the plugin files for one event: the label that finds an open issue about the same thing, the issue to create
 * when there is none, and the comment to add when there is.
 *
 * @param label the issue's label, without spaces (Jira refuses labels with spaces)
 * @param summary the issue's summary, at most {@value JiraTexts#MAX_SUMMARY} characters
 * @param description the issue's description, plain text
 * @param comment the comment recording a new occurrence on an open issue, plain text
 */
record IssueDraft(String label, String summary, String description, String comment) {
    IssueDraft {
        requireNonNull(label, "label is null");
        requireNonNull(summary, "summary is null");
        requireNonNull(description, "description is null");
        requireNonNull(comment, "comment is null");
        if (label.isEmpty() || label.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("label must be non-empty without spaces: " + label);
        }
    }
}
