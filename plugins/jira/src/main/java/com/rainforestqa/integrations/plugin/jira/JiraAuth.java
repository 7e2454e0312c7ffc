package com.rainforestqa.integrations.plugin.jira;

import static java.util.Objects.requireNonNull;

import com.rainforestqa.integrations.api.ErrorType;
import com.rainforestqa.integrations.api.IntegrationException;
import com.rainforestqa.integrations.api.OutboundRequest;
import com.rainforestqa.integrations.api.Settings;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * How the plugin proves itself to Jira: one of the three ways the settings may give. Implementations hold secrets, so
 * their {@code toString} names the way only.
 */
sealed interface JiraAuth {
    String EMAIL = "email";
    String API_TOKEN = "api_token";
    String PERSONAL_ACCESS_TOKEN = "personal_access_token";
    String OAUTH_SETTINGS = "oauth_settings";
    String OAUTH_CONSUMER = "oauth_consumer";

    /**
     * Adds the credentials to a request about to be sent.
     *
     * @param request the request, complete but for its {@code Authorization} header
     * @return the request with it
     */
    OutboundRequest authorize(OutboundRequest request);

    /**
     * What the user should check when Jira refuses the credentials.
     *
     * @return for example {@code "the email and API token"}
     */
    String whatToCheck();

    /**
     * Picks the way to authenticate from the settings. OAuth wins over a personal access token, which wins over an
     * email and API token: Rainforest's oldest configurations carry OAuth settings and nothing else, and a user who
     * added a token later means to use it rather than a half-filled email pair.
     *
     * @throws IntegrationException of type {@link ErrorType#MISCONFIGURED_INTEGRATION} when no way is complete
     */
    static JiraAuth from(Settings settings, Clock clock, Supplier<String> nonces) {
        if (settings.has(OAUTH_SETTINGS)) {
            return OAuth.from(settings, clock, nonces);
        }
        Optional<String> pat = settings.optional(PERSONAL_ACCESS_TOKEN);
        if (pat.isPresent()) {
            return new Bearer(pat.get().strip());
        }
        Optional<String> email = settings.optional(EMAIL);
        Optional<String> token = settings.optional(API_TOKEN);
        if (email.isPresent() && token.isPresent()) {
            return new Basic(email.get().strip(), token.get().strip());
        }
        if (email.isPresent() || token.isPresent()) {
            throw misconfigured("Jira Cloud needs both \"email\" and \"api_token\"; \""
                    + (email.isPresent() ? API_TOKEN : EMAIL) + "\" is missing");
        }
        throw misconfigured("no Jira credentials: give \"email\" and \"api_token\" (Jira Cloud), "
                + "\"personal_access_token\" (Jira Data Center) or \"oauth_settings\" (OAuth 1.0a)");
    }

    private static IntegrationException misconfigured(String message) {
        return new IntegrationException(ErrorType.MISCONFIGURED_INTEGRATION, message);
    }

    /** Jira Cloud: HTTP Basic with the account's email and an API token. */
    record Basic(String email, String apiToken) implements JiraAuth {
        public Basic {
            requireNonNull(email, "email is null");
            requireNonNull(apiToken, "apiToken is null");
        }

        @Override
        public OutboundRequest authorize(OutboundRequest request) {
            String pair = email + ":" + apiToken;
            return request.withHeader("Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        }

        @Override
        public String whatToCheck() {
            return "the email and API token";
        }

        @Override
        public String toString() {
            return "Basic";
        }
    }

    /** Jira Data Center / Server 8.14+: a personal access token as a bearer token. */
    record Bearer(String token) implements JiraAuth {
        public Bearer {
            requireNonNull(token, "token is null");
        }

        @Override
        public OutboundRequest authorize(OutboundRequest request) {
            return request.withHeader("Authorization", "Bearer " + token);
        }

        @Override
        public String whatToCheck() {
            return "the personal access token";
        }

        @Override
        public String toString() {
            return "Bearer";
        }
    }

    /**
     * OAuth 1.0a with RSA-SHA1: the user's access token from {@code oauth_settings}, Rainforest's consumer key and
     * private key from {@code oauth_consumer}, which the host copies from the request's top level because the schema
     * asks for it ({@code request-settings}).
     */
    record OAuth(OAuth1Signer signer) implements JiraAuth {
        public OAuth {
            requireNonNull(signer, "signer is null");
        }

        static OAuth from(Settings settings, Clock clock, Supplier<String> nonces) {
            JsonObject oauth = object(settings.json(OAUTH_SETTINGS).orElseThrow(), OAUTH_SETTINGS);
            String accessToken = text(oauth, "access_token", OAUTH_SETTINGS);
            String method = JsonTexts.text(oauth, "signature_method").orElse(OAuth1Signer.RSA_SHA1);
            if (!method.equalsIgnoreCase(OAuth1Signer.RSA_SHA1)) {
                throw misconfigured("\"oauth_settings\".\"signature_method\" must be RSA-SHA1, the only method "
                        + "Jira's application links accept; got " + method.toUpperCase(Locale.ROOT));
            }
            JsonObject consumer = object(settings.json(OAUTH_CONSUMER).orElseThrow(() -> misconfigured(
                    "OAuth needs the request's \"oauth_consumer\" (consumer key and private key), and it was not sent")),
                    OAUTH_CONSUMER);
            String consumerKey = text(consumer, "key", OAUTH_CONSUMER);
            if (!(consumer.get("secrets") instanceof JsonObject secrets)) {
                throw misconfigured("\"oauth_consumer\" has no \"secrets\" object");
            }
            String pem = secrets.entrySet().stream()
                    .filter(entry -> entry.getKey().equalsIgnoreCase(OAuth1Signer.RSA_SHA1))
                    .map(entry -> entry.getValue() instanceof JsonString string ? string.getString() : "")
                    .findFirst()
                    .filter(text -> !text.isBlank())
                    .orElseThrow(() -> misconfigured("\"oauth_consumer\".\"secrets\" has no RSA-SHA1 private key"));
            try {
                return new OAuth(new OAuth1Signer(consumerKey, accessToken, OAuth1Signer.readPrivateKey(pem), clock,
                        nonces));
            } catch (IllegalArgumentException e) {
                throw misconfigured("the RSA-SHA1 key in \"oauth_consumer\" is not a readable PEM RSA private key");
            }
        }

        @Override
        public OutboundRequest authorize(OutboundRequest request) {
            return request.withHeader("Authorization", signer.authorization(request.method(), request.uri()));
        }

        @Override
        public String whatToCheck() {
            return "the OAuth access token, and that Rainforest's application link is still set up in Jira";
        }

        @Override
        public String toString() {
            return "OAuth";
        }

        private static JsonObject object(JsonValue value, String key) {
            if (value instanceof JsonObject object) {
                return object;
            }
            throw misconfigured("\"" + key + "\" must be an object");
        }

        private static String text(JsonObject object, String member, String key) {
            return JsonTexts.text(object, member)
                    .orElseThrow(() -> misconfigured("\"" + key + "\" has no \"" + member + "\""));
        }
    }
}
