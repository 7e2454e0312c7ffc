package ${package};

import com.rainforestqa.integrations.api.ErrorType;
import com.rainforestqa.integrations.api.Event;
import com.rainforestqa.integrations.api.Integration;
import com.rainforestqa.integrations.api.IntegrationContext;
import com.rainforestqa.integrations.api.IntegrationException;
import com.rainforestqa.integrations.api.OutboundRequest;
import com.rainforestqa.integrations.api.OutboundResponse;
import com.rainforestqa.integrations.api.Outcome;
import com.rainforestqa.integrations.api.Settings;

import jakarta.json.spi.JsonProvider;

import java.net.URI;

/**
 * Posts each event as {@code {"text": "..."}} to the webhook URL in the settings. Stateless, so one instance serves
 * every thread.
 */
public final class ${className} implements Integration {
    private static final JsonProvider JSON = JsonProvider.provider();

    /** Called by ServiceLoader. */
    public ${className}() {
    }

    @Override
    public String key() {
        return "${integrationKey}";
    }

    @Override
    public Outcome deliver(Event event, Settings settings, IntegrationContext context) {
        String body = JSON.createObjectBuilder().add("text", text(event)).build().toString();
        OutboundResponse response = context.http().send(OutboundRequest.post(URI.create(settings.required("url")),
                body));
        if (response.isSuccess()) {
            return Outcome.delivered();
        }
        if (response.status() == 429 || response.status() >= 500) {
            throw new IntegrationException(ErrorType.TRANSIENT, "the webhook answered " + response.status(),
                    response);
        }
        if (response.status() == 401 || response.status() == 403 || response.status() == 404) {
            throw new IntegrationException(ErrorType.USER_CONFIGURATION_ERROR,
                    "the webhook refused the message; check its URL", response);
        }
        throw new IntegrationException(ErrorType.MISCONFIGURED_INTEGRATION,
                "the webhook refused the message (" + response.status() + ")", response);
    }

    static String text(Event event) {
        String run = event.run().flatMap(Event.Run::id).map(id -> "Rainforest run #" + id).orElse("Rainforest run");
        String link = event.frontendUrl().map(url -> " " + url).orElse("");
        return switch (event.type()) {
            case Event.INTEGRATION_TEST -> "Rainforest is connected to ${integrationTitle}.";
            case Event.RUN_COMPLETION -> run + " " + event.run().flatMap(Event.Run::result).orElse("completed")
                    + link;
            case Event.RUN_ERROR -> run + " could not run" + link;
            case Event.WEBHOOK_TIMEOUT -> run + " timed out waiting for its webhook" + link;
            case Event.RUN_TEST_FAILURE -> "Test failed in " + run + ": "
                    + event.failedTest().flatMap(Event.FailedTest::title).orElse("unknown test") + link;
            default -> run + ": " + event.type();
        };
    }
}
