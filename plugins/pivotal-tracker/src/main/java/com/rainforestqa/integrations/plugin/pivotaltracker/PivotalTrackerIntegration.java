package com.rainforestqa.integrations.plugin.pivotaltracker;

import com.rainforestqa.integrations.api.ErrorType;
import com.rainforestqa.integrations.api.Event;
import com.rainforestqa.integrations.api.Integration;
import com.rainforestqa.integrations.api.IntegrationContext;
import com.rainforestqa.integrations.api.IntegrationException;
import com.rainforestqa.integrations.api.Outcome;
import com.rainforestqa.integrations.api.Settings;

import jakarta.json.JsonObject;

import java.net.URI;
import java.util.Optional;
import java.util.Set;

/**
 * Files Pivotal Tracker bug stories for failed tests and webhook time-outs: settings {@code project_id} (the
 * project's number) and {@code api_token} (a user's API token, a secret). A failure that already has an open story
 * (same label, not delivered or accepted) gets the label {@code RepeatedFailures} instead of a second story. The API's
 * base URL is the operator's {@code plugins.pivotal_tracker.api-url}, by default Pivotal Tracker's own, which no
 * longer answers: the service was retired on 30 April 2025. Stateless.
 */
public final class PivotalTrackerIntegration implements Integration {
    static final String KEY = "pivotal_tracker";
    static final String PROJECT_ID = "project_id";
    static final String API_TOKEN = "api_token";
    static final String DEFAULT_API_URL = "https://www.pivotaltracker.com/services/v5";

    private static final Set<String> HANDLED = Set.of(Event.RUN_TEST_FAILURE, Event.WEBHOOK_TIMEOUT,
            Event.INTEGRATION_TEST);

    /** Called by {@link java.util.ServiceLoader}. */
    public PivotalTrackerIntegration() {
    }

    @Override
    public String key() {
        return KEY;
    }

    @Override
    public Outcome deliver(Event event, Settings settings, IntegrationContext context) {
        if (!HANDLED.contains(event.type())) {
            return Outcome.skipped("Pivotal Tracker files stories only for failed tests and webhook time-outs");
        }
        String projectId = projectId(settings.required(PROJECT_ID));
        String token = token(settings.required(API_TOKEN));
        FailureStory failure = FailureStory.of(event);
        TrackerProject project = new TrackerProject(context.http(), context.apiUrl(DEFAULT_API_URL), projectId, token);
        Optional<JsonObject> open = project.findOpenStory(failure.label());
        if (open.isPresent()) {
            project.markRepeated(open.get());
        } else {
            project.create(failure);
        }
        return Outcome.delivered();
    }

    // The id goes into every path, so only a plain number is let through; anything else is the user's typo.
    private static String projectId(String value) {
        String id = value.strip();
        if (!id.matches("[0-9]{1,18}")) {
            throw new IntegrationException(ErrorType.USER_CONFIGURATION_ERROR,
                    "setting \"project_id\" must be the project's number, as in "
                            + "https://www.pivotaltracker.com/n/projects/<number>");
        }
        return id;
    }

    // A token with spaces or control characters could split the header; Tracker tokens are hex strings.
    private static String token(String value) {
        String token = value.strip();
        if (!token.chars().allMatch(c -> c > ' ' && c < 0x7f)) {
            throw new IntegrationException(ErrorType.USER_CONFIGURATION_ERROR,
                    "setting \"api_token\" is not a Pivotal Tracker token: it holds spaces or unusual characters");
        }
        return token;
    }

}
