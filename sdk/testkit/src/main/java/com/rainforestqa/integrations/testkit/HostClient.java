package com.rainforestqa.integrations.testkit;

import jakarta.json.Json;
import jakarta.json.JsonStructure;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Talks to a running Rainforest Integrations server over real HTTP, signing events the way Rainforest does
 * ({@code X-Signature}: lowercase hex HMAC-SHA256 of the raw body, or of {@code timestamp + "." + body} when the
 * request carries {@code X-Signature-Timestamp}).
 */
public final class HostClient {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;
    private final String signingKey;

    /**
     * A client for a host on loopback.
     *
     * @param port the host's port
     * @param signingKey the key events are signed with
     */
    public HostClient(int port, String signingKey) {
        this.base = URI.create("http://127.0.0.1:" + port);
        this.signingKey = signingKey;
    }

    /**
     * The signature of a body, as the server expects it.
     *
     * @param key the signing key
     * @param body the raw body
     * @return lowercase hex HMAC-SHA256
     */
    public static String sign(String key, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The signature of a body sent with {@code X-Signature-Timestamp}, as the server expects it: the HMAC covers the
     * timestamp, a dot and the body, so that a captured request cannot be replayed once the timestamp is stale.
     *
     * @param key the signing key
     * @param timestamp the value of {@code X-Signature-Timestamp}, Unix seconds
     * @param body the raw body
     * @return lowercase hex HMAC-SHA256 of {@code timestamp + "." + body}
     */
    public static String sign(String key, long timestamp, byte[] body) {
        byte[] prefix = (timestamp + ".").getBytes(StandardCharsets.US_ASCII);
        byte[] signed = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, signed, 0, prefix.length);
        System.arraycopy(body, 0, signed, prefix.length, body.length);
        return sign(key, signed);
    }

    /**
     * Posts a signed JSON event.
     *
     * @param json the request body
     * @return the answer
     */
    public Answer postEvent(String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return send(post(body).header("X-Signature", sign(signingKey, body)));
    }

    /**
     * A {@code POST /events} with a JSON content type and no signature yet, for tests of bad requests.
     *
     * @param body the raw body
     * @return the request builder
     */
    public HttpRequest.Builder post(byte[] body) {
        return request("/events").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    }

    /**
     * A request builder for a path of the server.
     *
     * @param path the path, such as {@code /integrations}
     * @return the request builder
     */
    public HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
    }

    /**
     * GETs a path.
     *
     * @param path the path
     * @return the answer
     */
    public Answer get(String path) {
        return send(request(path).GET());
    }

    /**
     * Sends a request and reads the whole answer.
     *
     * @param request the request
     * @return the answer
     */
    public Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * An answer of the host.
     *
     * @param status the status code
     * @param body the body
     * @param response the full response, for headers
     */
    public record Answer(int status, String body, HttpResponse<String> response) {
        /** @return the body parsed as JSON */
        public JsonStructure json() {
            return Json.createReader(new StringReader(body)).read();
        }

        /**
         * The first value of a response header.
         *
         * @param name the header name, in any case
         * @return the value, or null when absent
         */
        public String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }
    }
}
