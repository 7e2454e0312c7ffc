package com.rainforestqa.integrations.plugin.jira;

import static com.rainforestqa.integrations.plugin.jira.JiraIntegrationTest.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * RFC 5849 signing against a known answer. The key pair in {@code src/test/resources/oauth} was generated once with
 * {@code openssl genrsa -traditional 2048}; the expected base string was built by hand (and with Python's
 * {@code urllib.parse.quote}) from the rules, and the expected signature computed by OpenSSL, not by this code:
 * {@code printf %s "$BASE" | openssl dgst -sha1 -sign test-key-pkcs1.pem | base64 -w0}.
 */
class OAuth1SignerTest {
    private static final URI REQUEST = URI.create(
            "HTTPS://Jira.Example.COM:443/jira/rest/api/2/issue?b=x%20y&expand=names&a=2&a=1&c=d+e");
    private static final Map<String, String> OAUTH = Map.of(
            "oauth_consumer_key", "rainforest",
            "oauth_nonce", "abc123",
            "oauth_signature_method", "RSA-SHA1",
            "oauth_timestamp", "1700000000",
            "oauth_token", "tok en+1",
            "oauth_version", "1.0");
    private static final String BASE_STRING = "POST&https%3A%2F%2Fjira.example.com%2Fjira%2Frest%2Fapi%2F2%2Fissue&"
            + "a%3D1%26a%3D2%26b%3Dx%2520y%26c%3Dd%2520e%26expand%3Dnames%26oauth_consumer_key%3Drainforest%26"
            + "oauth_nonce%3Dabc123%26oauth_signature_method%3DRSA-SHA1%26oauth_timestamp%3D1700000000%26"
            + "oauth_token%3Dtok%2520en%252B1%26oauth_version%3D1.0";
    private static final String OPENSSL_SIGNATURE = "PwKnoZ+cD18DfIPqkUs2bfxRJ/pEUJaGGvPZi4B5EWMogXZQims7PtZvAKyyv3lN6c"
            + "CFa26olrzZSbW/lXVg39GCKJQ1K4gFpd/TSPMUibErF6jSN215NxGCmOYAiWo92lwGGpewEhkXZiyBH6X7CWEs+gVg09169WPeBCI6D"
            + "juO4URnlr8s0njRYZDq2zWQQ8Mvher00w8mJbgVZUD1kokrqPI8lo4pHhX506g2qyHPTo/VMNaQO0t7NNkJMSMsmCQY2wpkZiApCpV"
            + "etiStoClYcfCjSOOmoFbWEIyYcSKSetk3OoPAeNs6DYG5IBTSxD+kOOzlQFXVyrnx59taKQ==";

    @Test
    void baseStringFollowsRfc5849() {
        assertThat(OAuth1Signer.baseString("post", REQUEST, OAUTH)).isEqualTo(BASE_STRING);
    }

    @Test
    void signatureMatchesOpensslForAPkcs1Key() {
        PrivateKey key = OAuth1Signer.readPrivateKey(resource("/oauth/test-key-pkcs1.pem"));

        assertThat(OAuth1Signer.sign(BASE_STRING, key)).isEqualTo(OPENSSL_SIGNATURE);
    }

    @Test
    void signatureMatchesOpensslForThePkcs8FormOfTheSameKey() {
        PrivateKey key = OAuth1Signer.readPrivateKey(resource("/oauth/test-key-pkcs8.pem"));

        assertThat(OAuth1Signer.sign(BASE_STRING, key)).isEqualTo(OPENSSL_SIGNATURE);
    }

    @Test
    void authorizationHeaderCarriesTheEncodedParametersAndSignature() {
        OAuth1Signer signer = new OAuth1Signer("rainforest", "tok en+1",
                OAuth1Signer.readPrivateKey(resource("/oauth/test-key-pkcs1.pem")),
                Clock.fixed(Instant.ofEpochSecond(1_700_000_000), ZoneOffset.UTC), () -> "abc123");

        assertThat(signer.authorization("POST", REQUEST)).isEqualTo("OAuth oauth_consumer_key=\"rainforest\", "
                + "oauth_nonce=\"abc123\", oauth_signature=\"" + OAuth1Signer.encode(OPENSSL_SIGNATURE) + "\", "
                + "oauth_signature_method=\"RSA-SHA1\", oauth_timestamp=\"1700000000\", "
                + "oauth_token=\"tok%20en%2B1\", oauth_version=\"1.0\"");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            HTTP://Example.COM:80/a%20b?x=1#top | http://example.com/a%20b
            https://example.com:443/           | https://example.com/
            https://example.com:8443/r         | https://example.com:8443/r
            http://example.com:443/r           | http://example.com:443/r
            http://example.com                 | http://example.com/
            """)
    void baseUriIsLowerCaseWithoutDefaultPortQueryOrFragment(String uri, String expected) {
        assertThat(OAuth1Signer.baseUri(URI.create(uri))).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            a b    | a%20b
            a+b    | a%2Bb
            -._~   | -._~
            *!'()  | %2A%21%27%28%29
            é      | %C3%A9
            =&%    | %3D%26%25
            """)
    void encodingLeavesOnlyUnreservedCharactersAlone(String text, String expected) {
        assertThat(OAuth1Signer.encode(text)).isEqualTo(expected);
    }

    @Test
    void parametersSortByNameThenValueNotByTheJoinedPair() {
        // Joined, "a1=z" would come before "a=z" because '1' sorts below '='.
        String base = OAuth1Signer.baseString("GET", URI.create("http://h/p?a1=z&a=z&a=y"), new TreeMap<>());

        assertThat(base).isEqualTo("GET&http%3A%2F%2Fh%2Fp&a%3Dy%26a%3Dz%26a1%3Dz");
    }

    @Test
    void signatureAndRealmAreLeftOutOfTheBaseString() {
        Map<String, String> withExtras = new TreeMap<>(OAUTH);
        withExtras.put("oauth_signature", "ignored");
        withExtras.put("realm", "Example");

        assertThat(OAuth1Signer.baseString("POST", REQUEST, withExtras)).isEqualTo(BASE_STRING);
    }

    @Test
    void somethingOtherThanAPemKeyIsRefusedWithoutQuotingIt() {
        assertThatThrownBy(() -> OAuth1Signer.readPrivateKey("ssh-rsa AAAAB3Nza secret"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a PEM RSA private key");
        assertThatThrownBy(() -> OAuth1Signer.readPrivateKey(resource("/oauth/test-key-public.pem")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not a PEM RSA private key");
    }
}
