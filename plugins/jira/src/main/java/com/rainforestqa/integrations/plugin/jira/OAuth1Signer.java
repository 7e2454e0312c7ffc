package com.rainforestqa.integrations.plugin.jira;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Signs requests with OAuth 1.0a, RSA-SHA1 (RFC 5849), as Jira Data Center's application links expect, using only the
 * JDK's crypto. Thread-safe: the key is immutable and each call builds its own {@link Signature}.
 */
final class OAuth1Signer {
    static final String RSA_SHA1 = "RSA-SHA1";

    private static final String PKCS1_HEADER = "-----BEGIN RSA PRIVATE KEY-----";
    private static final String PKCS8_HEADER = "-----BEGIN PRIVATE KEY-----";
    /** DER of the AlgorithmIdentifier {rsaEncryption, NULL}, needed to wrap a PKCS#1 key as PKCS#8. */
    private static final byte[] RSA_ALGORITHM = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86,
            (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};

    private final String consumerKey;
    private final String token;
    private final PrivateKey key;
    private final Clock clock;
    private final Supplier<String> nonces;

    OAuth1Signer(String consumerKey, String token, PrivateKey key, Clock clock, Supplier<String> nonces) {
        this.consumerKey = requireNonNull(consumerKey, "consumerKey is null");
        this.token = requireNonNull(token, "token is null");
        this.key = requireNonNull(key, "key is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.nonces = requireNonNull(nonces, "nonces is null");
    }

    /**
     * The {@code Authorization} header for one request (RFC 5849 §3.5.1). Only the query is signed besides the
     * {@code oauth_*} parameters: Jira's bodies are JSON, which §3.4.1.3.1 leaves out.
     */
    String authorization(String method, URI uri) {
        Map<String, String> oauth = new TreeMap<>();
        oauth.put("oauth_consumer_key", consumerKey);
        oauth.put("oauth_nonce", nonces.get());
        oauth.put("oauth_signature_method", RSA_SHA1);
        oauth.put("oauth_timestamp", Long.toString(clock.instant().getEpochSecond()));
        oauth.put("oauth_token", token);
        oauth.put("oauth_version", "1.0");
        oauth.put("oauth_signature", sign(baseString(method, uri, oauth), key));
        return "OAuth " + oauth.entrySet().stream()
                .map(entry -> encode(entry.getKey()) + "=\"" + encode(entry.getValue()) + "\"")
                .collect(Collectors.joining(", "));
    }

    /** The signature base string (§3.4.1): method, base URI, and the normalized query and protocol parameters. */
    static String baseString(String method, URI uri, Map<String, String> oauthParameters) {
        List<String[]> pairs = new ArrayList<>();
        queryParameters(uri).forEach(pair -> pairs.add(new String[] {encode(pair[0]), encode(pair[1])}));
        oauthParameters.forEach((name, value) -> {
            if (!name.equals("oauth_signature") && !name.equals("realm")) {
                pairs.add(new String[] {encode(name), encode(value)});
            }
        });
        // Encoded text is ASCII, so String order is the byte order §3.4.1.3.2 asks for. Names and values are
        // compared apart: joined, "a1=" would sort before "a=", as '1' sorts below '='.
        pairs.sort(Comparator.<String[], String>comparing(pair -> pair[0]).thenComparing(pair -> pair[1]));
        String normalized = pairs.stream().map(pair -> pair[0] + "=" + pair[1]).collect(Collectors.joining("&"));
        return method.toUpperCase(Locale.ROOT) + "&" + encode(baseUri(uri)) + "&" + encode(normalized);
    }

    /** §3.4.1.2: lower-case scheme and host, no default port, no query or fragment. */
    static String baseUri(URI uri) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        boolean defaultPort = port == -1 || scheme.equals("http") && port == 80 || scheme.equals("https") && port == 443;
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port) + path;
    }

    /** §3.6: UTF-8, then every byte outside {@code A-Z a-z 0-9 - . _ ~} as {@code %XX}; a space is {@code %20}. */
    static String encode(String text) {
        StringBuilder encoded = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                encoded.append(c);
            } else {
                encoded.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return encoded.toString();
    }

    /** RSASSA-PKCS1-v1_5 over SHA-1, base64 (§3.4.3). */
    static String sign(String baseString, PrivateKey key) {
        try {
            Signature signature = Signature.getInstance("SHA1withRSA");
            signature.initSign(key);
            signature.update(baseString.getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with RSA-SHA1", e);
        }
    }

    /**
     * Reads an RSA private key in PEM, either PKCS#8 ({@code BEGIN PRIVATE KEY}) or PKCS#1 ({@code BEGIN RSA PRIVATE
     * KEY}, what OpenSSL and Ruby write by default).
     *
     * @throws IllegalArgumentException if the text is neither; the message never quotes the key
     */
    static PrivateKey readPrivateKey(String pem) {
        String text = pem.strip();
        boolean pkcs1 = text.startsWith(PKCS1_HEADER);
        if (!pkcs1 && !text.startsWith(PKCS8_HEADER)) {
            throw new IllegalArgumentException("not a PEM RSA private key");
        }
        String base64 = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        try {
            byte[] der = Base64.getDecoder().decode(base64);
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs1 ? wrapPkcs1(der) : der));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IllegalArgumentException("not a readable PEM RSA private key");
        }
    }

    // The JDK reads PKCS#8 only; PKCS#8 is PKCS#1 inside SEQUENCE {version 0, rsaEncryption, OCTET STRING}.
    private static byte[] wrapPkcs1(byte[] pkcs1) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0x02, 0x01, 0x00});
        body.writeBytes(RSA_ALGORITHM);
        body.writeBytes(der(0x04, pkcs1));
        return der(0x30, body.toByteArray());
    }

    private static byte[] der(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = (Integer.SIZE - Integer.numberOfLeadingZeros(length) + 7) / 8;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    /** §3.4.1.3.1: the query as {@code application/x-www-form-urlencoded}, so {@code +} is a space. */
    private static List<String[]> queryParameters(URI uri) {
        List<String[]> parameters = new ArrayList<>();
        String query = uri.getRawQuery();
        if (query == null || query.isEmpty()) {
            return parameters;
        }
        for (String part : query.split("&")) {
            if (part.isEmpty()) {
                continue;
            }
            int equals = part.indexOf('=');
            String name = equals < 0 ? part : part.substring(0, equals);
            String value = equals < 0 ? "" : part.substring(equals + 1);
            parameters.add(new String[] {URLDecoder.decode(name, StandardCharsets.UTF_8),
                    URLDecoder.decode(value, StandardCharsets.UTF_8)});
        }
        return parameters;
    }
}
