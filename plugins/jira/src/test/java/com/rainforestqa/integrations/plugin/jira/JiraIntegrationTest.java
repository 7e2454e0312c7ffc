package com.rainforestqa.integrations.plugin.jira;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.rainforestqa.integrations.api.ErrorType;
import com.rainforestqa.integrations.api.Event;
import com.rainforestqa.integrations.api.IntegrationException;
import com.rainforestqa.integrations.api.Outcome;
import com.rainforestqa.integrations.api.Settings;
import com.rainforestqa.integrations.testkit.RecordedRequest;
import com.rainforestqa.integrations.testkit.Reply;
import com.rainforestqa.integrations.testkit.TestContext;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class JiraIntegrationTest {
    private static final String EMAIL = "qa@example.com";
    private static final String API_TOKEN = "cloud-api-token-123";
    private static final String BASIC = "Basic " + Base64.getEncoder()
            .encodeToString((EMAIL + ":" + API_TOKEN).getBytes(StandardCharsets.UTF_8));
    private static final String PAT = "dc-personal-access-token-456";
    private static final Instant NOW = Instant.ofEpochSecond(1_700_000_000);

    static final String TEST_FAILURE = """
            {"frontend_url": "https://app.rainforestqa.com/runs/7",
             "run": {"id": 7, "description": "Nightly", "environment": {"name": "QA"}},
             "failed_test": {"id": 12, "title": "Login", "frontend_url": "https://app.rainforestqa.com/tests/12"},
             "browser": {"description": "Chrome"},
             "feedback": [{"worker_name": "Ann", "note": "button missing"}]}""";
    static final String TIMEOUT = """
            {"frontend_url": "https://app.rainforestqa.com/runs/9",
             "run": {"id": 9, "description": "Smoke", "environment": "Staging"}}""";

    private final FakeJira jira = FakeJira.start();
    private final TestContext context = new TestContext(Map.of(), Clock.fixed(NOW, ZoneOffset.UTC));
    private final JiraIntegration integration = new JiraIntegration(() -> "abc123");

    @AfterEach
    void close() {
        context.close();
        jira.close();
    }

    @Test
    void failedTestIsFiledAsABugLabelledWithTheTestId() {
        jira.acceptAuthorization(BASIC::equals);

        Outcome outcome = integration.deliver(event(Event.RUN_TEST_FAILURE, TEST_FAILURE), basic(), context);

        assertThat(outcome).isEqualTo(new Outcome(Outcome.Status.DELIVERED, "created OPS-1"));
        assertThat(jira.paths()).containsExactly("/rest/api/2/search", "/rest/api/2/issue");
        RecordedRequest search = jira.requests().getFirst();
        assertThat(search.json()).isEqualTo(json("""
                {"jql": "project = \\"OPS\\" AND labels = \\"RfTest12\\" AND statusCategory != Done ORDER BY created DESC",
                 "maxResults": 1, "fields": ["summary"]}"""));
        assertThat(jira.requests().getLast().header("Content-Type")).contains("application/json");
        assertThat(jira.created()).containsExactly(json("""
                {"project": {"key": "OPS"}, "issuetype": {"name": "Bug"},
                 "summary": "Rainforest test failed: Login",
                 "description": "The Rainforest test \\"Login\\" failed in run 7.\\n\\nTest: Login\\nTest link: https://app.rainforestqa.com/tests/12\\nRun: https://app.rainforestqa.com/runs/7\\nRun id: 7\\nRun description: Nightly\\nEnvironment: QA\\nBrowser: Chrome\\n\\nTester feedback:\\n* Ann: button missing",
                 "labels": ["RfTest12"]}"""));
    }

    @Test
    void openIssueForTheSameTestGetsACommentInsteadOfADuplicate() {
        String existing = jira.openIssue("RfTest12");

        Outcome outcome = integration.deliver(event(Event.RUN_TEST_FAILURE, TEST_FAILURE), basic(), context);

        assertThat(outcome).isEqualTo(new Outcome(Outcome.Status.DELIVERED, "commented on OPS-1"));
        assertThat(existing).isEqualTo("OPS-1");
        assertThat(jira.paths()).containsExactly("/rest/api/2/search", "/rest/api/2/issue/OPS-1/comment");
        assertThat(jira.created()).isEmpty();
        assertThat(jira.comments("OPS-1")).containsExactly("""
                The test failed again, in run 7.

                Run: https://app.rainforestqa.com/runs/7
                Run id: 7
                Run description: Nightly
                Environment: QA
                Browser: Chrome

                Tester feedback:
                * Ann: button missing""");
    }

    @Test
    void webhookTimeOutIsFiledLabelledWithTheRunIdAndSaysWhereToGetHelp() {
        assertThat(integration.deliver(event(Event.WEBHOOK_TIMEOUT, TIMEOUT), basic(), context))
                .isEqualTo(new Outcome(Outcome.Status.DELIVERED, "created OPS-1"));

        JsonObject fields = jira.created().getFirst();
        assertThat(fields.getJsonArray("labels")).isEqualTo(Json.createArrayBuilder().add("RfRun9").build());
        assertThat(fields.getString("summary")).isEqualTo("Rainforest run 9 timed out: Smoke");
        assertThat(fields.getString("description")).isEqualTo("""
                Rainforest run 9 (Smoke) timed out: the webhook Rainforest calls before the run did not answer in \
                time, so the run could not go ahead.

                Run: https://app.rainforestqa.com/runs/9
                Run id: 9
                Run description: Smoke
                Environment: Staging

                Check that the webhook configured for this environment is up and answers Rainforest's call. For \
                help, contact Rainforest support at help@rainforestqa.com.""");
    }

    @Test
    void secondTimeOutOfTheSameRunIsACommentOnTheFirstIssue() {
        integration.deliver(event(Event.WEBHOOK_TIMEOUT, TIMEOUT), basic(), context);

        assertThat(integration.deliver(event(Event.WEBHOOK_TIMEOUT, TIMEOUT), basic(), context))
                .isEqualTo(new Outcome(Outcome.Status.DELIVERED, "commented on OPS-1"));
        assertThat(jira.created()).hasSize(1);
        assertThat(jira.comments("OPS-1")).containsExactly("""
                Run 9 timed out again.

                Run: https://app.rainforestqa.com/runs/9
                Run id: 9
                Run description: Smoke
                Environment: Staging""");
    }

    @Test
    void integrationCheckFilesOneIssueThenComments() {
        Event check = new Event(Event.INTEGRATION_TEST, Optional.empty(), JsonValue.EMPTY_JSON_OBJECT);

        assertThat(integration.deliver(check, basic(), context))
                .isEqualTo(new Outcome(Outcome.Status.DELIVERED, "created OPS-1"));
        assertThat(integration.deliver(check, basic(), context))
                .isEqualTo(new Outcome(Outcome.Status.DELIVERED, "commented on OPS-1"));

        assertThat(jira.created()).containsExactly(json("""
                {"project": {"key": "OPS"}, "issuetype": {"name": "Bug"},
                 "summary": "Rainforest integration check",
                 "description": "Rainforest created this issue to check its Jira integration, and it works: failed tests and webhook time-outs will be filed as issues in project OPS. You can close this issue.",
                 "labels": ["Integration-Test"]}"""));
        assertThat(jira.comments("OPS-1"))
                .containsExactly("Rainforest checked its Jira integration again, and it still works.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"run_completion", "run_error"})
    void otherEventsAreSkippedWithoutContactingJira(String type) {
        Outcome outcome = integration.deliver(event(type, TIMEOUT), basic(), context);

        assertThat(outcome).isEqualTo(Outcome.skipped("Jira files no issue for " + type));
        assertThat(jira.requests()).isEmpty();
    }

    @Test
    void personalAccessTokenIsSentAsABearerToken() {
        jira.acceptAuthorization(("Bearer " + PAT)::equals);

        integration.deliver(event(Event.RUN_TEST_FAILURE, TEST_FAILURE),
                settings(Map.of("jira_base_url", jira.baseUrl(), "project_key", "OPS", "personal_access_token", PAT)),
                context);

        assertThat(jira.requests()).extracting(request -> request.header("Authorization").orElseThrow())
                .containsExactly("Bearer " + PAT, "Bearer " + PAT);
        assertThat(jira.created()).hasSize(1);
    }

    @Test
    void oauthRequestsCarryAnRsaSha1SignatureOverEachRequest() throws Exception {
        jira.acceptAuthorization(header -> header.startsWith("OAuth "));

        integration.deliver(event(Event.RUN_TEST_FAILURE, TEST_FAILURE), oauth("RSA-SHA1"), context);

        assertThat(jira.paths()).containsExactly("/rest/api/2/search", "/rest/api/2/issue");
        for (RecordedRequest request : jira.requests()) {
            Map<String, String> oauth = oauthParameters(request.header("Authorization").orElseThrow());
            assertThat(oauth).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "oauth_consumer_key", "rainforest", "oauth_token", "access token+1",
                    "oauth_signature_method", "RSA-SHA1", "oauth_timestamp", "1700000000",
                    "oauth_nonce", "abc123", "oauth_version", "1.0",
                    "oauth_signature", oauth.get("oauth_signature")));
            Map<String, String> signed = new TreeMap<>(oauth);
            signed.remove("oauth_signature");
            // The JSON body is not part of the base string: only the method, URL and oauth_* parameters are.
            String baseString = OAuth1Signer.baseString("POST", URI.create(jira.baseUrl() + request.path()), signed);
            Signature verifier = Signature.getInstance("SHA1withRSA");
            verifier.initVerify(publicKey());
            verifier.update(baseString.getBytes(StandardCharsets.US_ASCII));
            assertThat(verifier.verify(Base64.getDecoder().decode(oauth.get("oauth_signature"))))
                    .as(request.path()).isTrue();
        }
    }

    @Test
    void cloudSearchFallsBackFromTheRemovedEndpointOnAHostNotUnderAtlassianNet() {
        jira.kind(FakeJira.Kind.CLOUD);
        jira.openIssue("RfTest12");

        Outcome outcome = integration.deliver(event(Event.RUN_TEST_FAILURE, TEST_FAILURE), basic(), context);

        assertThat(outcome).isEqualTo(new Outcome(Outcome.Status.DELIVERED, "commented on OPS-1"));
        assertThat(jira.paths()).containsExactly("/rest/api/2/search", "/rest/api/3/search/jql",
                "/rest/api/2/issue/OPS-1/comment");
        assertThat(jira.requests().get(1).json()).isEqualTo(jira.requests().get(0).json());
    }

    @Test
    void cloudSearchFindsNothingAndTheIssueIsCreated() {
        jira.kind(FakeJira.Kind.CLOUD);

        assertThat(integration.deliver(event(Event.RUN_TEST_FAILURE, TEST_FAILURE), basic(), context))
                .isEqualTo(new Outcome(Outcome.Status.DELIVERED, "created OPS-1"));
        assertThat(jira.paths()).containsExactly("/rest/api/2/search", "/rest/api/3/search/jql",
                "/rest/api/2/issue");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "//", "/ "})
    void trailingSlashOnTheBaseUrlIsHarmless(String suffix) {
        integration.deliver(event(Event.RUN_TEST_FAILURE, TEST_FAILURE),
                settings(Map.of("jira_base_url", jira.baseUrl() + suffix, "project_key", "OPS",
                        "email", EMAIL, "api_token", API_TOKEN)), context);

        assertThat(jira.paths()).containsExactly("/rest/api/2/search", "/rest/api/2/issue");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://127.0.0.1/jira", "127.0.0.1:8080", "mailto:jira@example.com", "file:///etc/jira",
            "https:///no-host", "not a url"})
    void baseUrlOtherThanHttpOrHttpsIsMisconfiguredAndNothingIsSent(String url) {
        IntegrationException e = failure(event(Event.RUN_TEST_FAILURE, TEST_FAILURE),
                settings(Map.of("jira_base_url", url, "project_key", "OPS", "email", EMAIL, "api_token", API_TOKEN)));

        assertThat(e.type()).isEqualTo(ErrorType.MISCONFIGURED_INTEGRATION);
        assertThat(e.getMessage()).isEqualTo("setting \"jira_base_url\" is not an absolute http(s) URL; expected "
                + "your Jira's address, such as https://your-site.atlassian.net or https://jira.example.com");
        assertThat(jira.requests()).isEmpty();
    }

    @ParameterizedTest(name = "{0} from create is {1}")
    @CsvSource(delimiter = '|', textBlock = """
            401 | USER_CONFIGURATION_ERROR | authentication failed; check the email and API token
            403 | USER_CONFIGURATION_ERROR | authentication failed or the account may not do this in project OPS; check the email and API token
            404 | USER_CONFIGURATION_ERROR | not found; check the Jira base URL and that project OPS exists
            429 | TRANSIENT                | Jira is rate-limiting these requests
            500 | TRANSIENT                | Jira failed on its side
            502 | TRANSIENT                | Jira failed on its side
            503 | TRANSIENT                | Jira failed on its side
            """)
    void createFailuresMapToErrorTypes(int status, ErrorType type, String hint) {
        jira.failNext(FakeJira.Route.CREATE, FakeJira.errors(status, "nope"));

        IntegrationException e = failure(event(Event.RUN_TEST_FAILURE, TEST_FAILURE), basic());

        assertThat(e.type()).isEqualTo(type);
        assertThat(e.getMessage()).isEqualTo("Jira answered " + status + " to creating the issue: " + hint);
        assertThat(e.status()).hasValue(status);
        assertThat(e.response().orElseThrow().body()).isEqualTo("{\"errorMessages\":[\"nope\"],\"errors\":{}}");
        assertThat(e.getMessage()).doesNotContain(API_TOKEN);
    }

    @Test
    void labelsMissingFromTheCreateScreenIsMisconfiguredAndCarriesJirasWords() {
        jira.failNext(FakeJira.Route.CREATE, Reply.json(400, """
                {"errorMessages": [], "errors": {"labels": "Field 'labels' cannot be set. It is not on the appropriate \
                screen, or unknown."}}"""));

        IntegrationException e = failure(event(Event.RUN_TEST_FAILURE, TEST_FAILURE), basic());

        assertThat(e.type()).isEqualTo(ErrorType.MISCONFIGURED_INTEGRATION);
        assertThat(e.getMessage()).isEqualTo("Jira answered 400 to creating the issue: Jira refused the request: "
                + "labels: Field 'labels' cannot be set. It is not on the appropriate screen, or unknown.");
        assertThat(e.status()).hasValue(400);
    }

    @Test
    void badRequestCarriesBothErrorMessagesAndFieldErrors() {
        jira.failNext(FakeJira.Route.CREATE, Reply.json(400, """
                {"errorMessages": ["Something is off."], "errors": {"issuetype": "Specify a valid issue type",
                 "summary": "Summary is required"}}"""));

        IntegrationException e = failure(event(Event.RUN_TEST_FAILURE, TEST_FAILURE), basic());

        assertThat(e.type()).isEqualTo(ErrorType.MISCONFIGURED_INTEGRATION);
        assertThat(e.getMessage()).isEqualTo("Jira answered 400 to creating the issue: Jira refused the request: "
                + "Something is off.; issuetype: Specify a valid issue type; summary: Summary is required");
    }

    @Test
    void wrongCredentialsOnTheSearchAreAUserConfigurationErrorAndNothingIsCreated() {
        jira.acceptAuthorization(header -> false);

        IntegrationException e = failure(event(Event.RUN_TEST_FAILURE, TEST_FAILURE), basic());

        assertThat(e.type()).isEqualTo(ErrorType.USER_CONFIGURATION_ERROR);
        assertThat(e.getMessage()).isEqualTo(
                "Jira answered 401 to the issue search: authentication failed; check the email and API token");
        assertThat(jira.paths()).containsExactly("/rest/api/2/search");
    }

    @Test
    void authenticationFailureNamesThePersonalAccessTokenWithoutShowingIt() {
        jira.acceptAuthorization(header -> false);

        IntegrationException e = failure(event(Event.RUN_TEST_FAILURE, TEST_FAILURE),
                settings(Map.of("jira_base_url", jira.baseUrl(), "project_key", "OPS", "personal_access_token", PAT)));

        assertThat(e.getMessage()).isEqualTo(
                "Jira answered 401 to the issue search: authentication failed; check the personal access token");
    }

    @Test
    void authenticationFailureWithOauthNamesTheApplicationLink() {
        jira.failNext(FakeJira.Route.SEARCH, FakeJira.errors(401, "oauth_problem=signature_invalid"));

        IntegrationException e = failure(event(Event.RUN_TEST_FAILURE, TEST_FAILURE), oauth("RSA-SHA1"));

        assertThat(e.type()).isEqualTo(ErrorType.USER_CONFIGURATION_ERROR);
        assertThat(e.getMessage()).isEqualTo("Jira answered 401 to the issue search: authentication failed; check "
                + "the OAuth access token, and that Rainforest's application link is still set up in Jira");
    }

    @Test
    void searchNotFoundAnywhereIsAUserConfigurationError() {
        jira.failNext(FakeJira.Route.SEARCH, FakeJira.errors(404, "not here"));

        IntegrationException e = failure(event(Event.RUN_TEST_FAILURE, TEST_FAILURE), basic());

        assertThat(e.type()).isEqualTo(ErrorType.USER_CONFIGURATION_ERROR);
        assertThat(e.getMessage()).isEqualTo(
                "Jira answered 404 to the issue search: not found; check the Jira base URL and that project OPS exists");
        assertThat(jira.paths()).containsExactly("/rest/api/2/search", "/rest/api/3/search/jql");
    }

    @Test
    void unknownProjectInTheSearchIsMisconfiguredWithJirasMessage() {
        IntegrationException e = failure(event(Event.RUN_TEST_FAILURE, TEST_FAILURE),
                settings(Map.of("jira_base_url", jira.baseUrl(), "project_key", "NOPE", "email", EMAIL,
                        "api_token", API_TOKEN)));

        assertThat(e.type()).isEqualTo(ErrorType.MISCONFIGURED_INTEGRATION);
        assertThat(e.getMessage()).isEqualTo("Jira answered 400 to the issue search: Jira refused the request: "
                + "The value 'NOPE' does not exist for the field 'project'.");
    }

    @ParameterizedTest
    @ValueSource(ints = {429, 500, 503})
    void searchOverloadIsTransient(int status) {
        jira.failNext(FakeJira.Route.SEARCH, FakeJira.errors(status, "busy"));

        assertThat(failure(event(Event.RUN_TEST_FAILURE, TEST_FAILURE), basic()).type())
                .isEqualTo(ErrorType.TRANSIENT);
        assertThat(jira.paths()).containsExactly("/rest/api/2/search");
    }

    @Test
    void commentFailureIsMappedLikeAnyOther() {
        jira.openIssue("RfTest12");
        jira.failNext(FakeJira.Route.COMMENT, FakeJira.errors(403, "You do not have permission to comment."));

        IntegrationException e = failure(event(Event.RUN_TEST_FAILURE, TEST_FAILURE), basic());

        assertThat(e.type()).isEqualTo(ErrorType.USER_CONFIGURATION_ERROR);
        assertThat(e.getMessage()).isEqualTo("Jira answered 403 to commenting on OPS-1: authentication failed or "
                + "the account may not do this in project OPS; check the email and API token");
    }

    @Test
    void successThatIsNotJirasJsonIsAUserConfigurationError() {
        jira.failNext(FakeJira.Route.SEARCH, Reply.status(200, "<html>login</html>"));

        IntegrationException e = failure(event(Event.RUN_TEST_FAILURE, TEST_FAILURE), basic());

        assertThat(e.type()).isEqualTo(ErrorType.USER_CONFIGURATION_ERROR);
        assertThat(e.getMessage()).isEqualTo("Jira answered 200 to the issue search: not Jira's JSON; check that "
                + "the Jira base URL is your Jira's address");
    }

    @Test
    void noCredentialsAtAllIsMisconfiguredAndNothingIsSent() {
        IntegrationException e = failure(event(Event.RUN_TEST_FAILURE, TEST_FAILURE),
                settings(Map.of("jira_base_url", jira.baseUrl(), "project_key", "OPS")));

        assertThat(e.type()).isEqualTo(ErrorType.MISCONFIGURED_INTEGRATION);
        assertThat(e.getMessage()).isEqualTo("no Jira credentials: give \"email\" and \"api_token\" (Jira Cloud), "
                + "\"personal_access_token\" (Jira Data Center) or \"oauth_settings\" (OAuth 1.0a)");
        assertThat(jira.requests()).isEmpty();
    }

    @Test
    void emailWithoutApiTokenIsMisconfigured() {
        IntegrationException e = failure(event(Event.RUN_TEST_FAILURE, TEST_FAILURE),
                settings(Map.of("jira_base_url", jira.baseUrl(), "project_key", "OPS", "email", EMAIL)));

        assertThat(e.type()).isEqualTo(ErrorType.MISCONFIGURED_INTEGRATION);
        assertThat(e.getMessage()).isEqualTo("Jira Cloud needs both \"email\" and \"api_token\"; \"api_token\" is missing");
        assertThat(jira.requests()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"jira_base_url", "project_key"})
    void missingRequiredSettingIsMisconfigured(String missing) {
        Map<String, String> values = new LinkedHashMap<>(Map.of("jira_base_url", jira.baseUrl(), "project_key", "OPS",
                "email", EMAIL, "api_token", API_TOKEN));
        values.remove(missing);

        IntegrationException e = failure(event(Event.RUN_TEST_FAILURE, TEST_FAILURE), settings(values));

        assertThat(e.type()).isEqualTo(ErrorType.MISCONFIGURED_INTEGRATION);
        assertThat(e.getMessage()).isEqualTo("required setting \"" + missing + "\" is missing");
        assertThat(jira.requests()).isEmpty();
    }

    @Test
    void oauthWithoutTheRequestsConsumerIsMisconfigured() {
        Map<String, JsonValue> values = new LinkedHashMap<>(oauthValues("RSA-SHA1"));
        values.remove("oauth_consumer");

        IntegrationException e = failure(event(Event.RUN_TEST_FAILURE, TEST_FAILURE), Settings.of(values));

        assertThat(e.type()).isEqualTo(ErrorType.MISCONFIGURED_INTEGRATION);
        assertThat(e.getMessage()).isEqualTo("OAuth needs the request's \"oauth_consumer\" (consumer key and private "
                + "key), and it was not sent");
        assertThat(jira.requests()).isEmpty();
    }

    @Test
    void oauthWithAnotherSignatureMethodIsMisconfigured() {
        IntegrationException e = failure(event(Event.RUN_TEST_FAILURE, TEST_FAILURE), oauth("HMAC-SHA1"));

        assertThat(e.type()).isEqualTo(ErrorType.MISCONFIGURED_INTEGRATION);
        assertThat(e.getMessage()).isEqualTo("\"oauth_settings\".\"signature_method\" must be RSA-SHA1, the only "
                + "method Jira's application links accept; got HMAC-SHA1");
    }

    @Test
    void unreadablePrivateKeyIsMisconfiguredWithoutQuotingIt() {
        Map<String, JsonValue> values = new LinkedHashMap<>(oauthValues("RSA-SHA1"));
        String garbage = "-----BEGIN RSA PRIVATE KEY-----\nc2VjcmV0LWdhcmJhZ2U=\n-----END RSA PRIVATE KEY-----";
        values.put("oauth_consumer", Json.createObjectBuilder().add("key", "rainforest")
                .add("secrets", Json.createObjectBuilder().add("RSA-SHA1", garbage)).build());

        IntegrationException e = failure(event(Event.RUN_TEST_FAILURE, TEST_FAILURE), Settings.of(values));

        assertThat(e.type()).isEqualTo(ErrorType.MISCONFIGURED_INTEGRATION);
        assertThat(e.getMessage())
                .isEqualTo("the RSA-SHA1 key in \"oauth_consumer\" is not a readable PEM RSA private key");
        assertThat(e.getCause()).isNull();
    }

    @Test
    void failedTestWithoutAnIdIsMisconfigured() {
        IntegrationException e = failure(event(Event.RUN_TEST_FAILURE, """
                {"run": {"id": 7}, "failed_test": {"title": "Login"}, "browser": {}}"""), basic());

        assertThat(e.type()).isEqualTo(ErrorType.MISCONFIGURED_INTEGRATION);
        assertThat(e.getMessage()).isEqualTo("the event has no failed_test.id, so the plugin cannot tell whether "
                + "Jira already has an issue for the failed test");
        assertThat(jira.requests()).isEmpty();
    }

    private IntegrationException failure(Event event, Settings settings) {
        return catchThrowableOfType(IntegrationException.class, () -> integration.deliver(event, settings, context));
    }

    private Settings basic() {
        return settings(Map.of("jira_base_url", jira.baseUrl(), "project_key", "OPS", "email", EMAIL,
                "api_token", API_TOKEN));
    }

    private Settings oauth(String method) {
        return Settings.of(oauthValues(method));
    }

    private Map<String, JsonValue> oauthValues(String method) {
        return Map.of(
                "jira_base_url", Json.createValue(jira.baseUrl()),
                "project_key", Json.createValue("OPS"),
                "oauth_settings", Json.createObjectBuilder().add("access_token", "access token+1")
                        .add("access_secret", "unused-by-rsa").add("signature_method", method).build(),
                "oauth_consumer", Json.createObjectBuilder().add("key", "rainforest")
                        .add("secrets", Json.createObjectBuilder().add("RSA-SHA1", resource("/oauth/test-key-pkcs1.pem")))
                        .build());
    }

    static Settings settings(Map<String, String> values) {
        Map<String, JsonValue> json = new LinkedHashMap<>();
        values.forEach((key, value) -> json.put(key, Json.createValue(value)));
        return Settings.of(json);
    }

    static Event event(String type, String payload) {
        return new Event(type, Optional.of("evt-1"), json(payload));
    }

    static JsonObject json(String text) {
        return Json.createReader(new StringReader(text)).readObject();
    }

    static String resource(String name) {
        try (InputStream in = JiraIntegrationTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static PublicKey publicKey() throws Exception {
        String base64 = resource("/oauth/test-key-public.pem").replaceAll("-----[A-Z ]+-----", "")
                .replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }

    /** The parameters of an {@code Authorization: OAuth ...} header, percent-decoded. */
    static Map<String, String> oauthParameters(String header) {
        assertThat(header).startsWith("OAuth ");
        Map<String, String> parameters = new TreeMap<>();
        Matcher pair = Pattern.compile("([a-z_]+)=\"([^\"]*)\"").matcher(header);
        while (pair.find()) {
            parameters.put(pair.group(1), java.net.URLDecoder.decode(pair.group(2).replace("+", "%2B"),
                    StandardCharsets.UTF_8));
        }
        assertThat(List.of(header.substring("OAuth ".length()).split(", "))).hasSize(parameters.size());
        return parameters;
    }
}
