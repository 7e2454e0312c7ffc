package com.rainforestqa.integrations.host.http;

import static java.util.Objects.requireNonNull;

import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.Status;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks the signature of {@code POST /events}: {@code X-Signature} is the lowercase hex HMAC-SHA256 of the raw body
 * or, when the request carries {@code X-Signature-Timestamp} (Unix seconds), of {@code timestamp + "." + body}; a
 * signed timestamp further than the tolerance from this server's clock, in either direction, is refused, so that a
 * captured request cannot be replayed later. Signatures are compared in constant time. Thread-safe.
 */
public final class SignatureVerifier {
    static final HeaderName SIGNATURE = HeaderNames.create("X-Signature");
    static final HeaderName TIMESTAMP = HeaderNames.create("X-Signature-Timestamp");

    private static final String ALGORITHM = "HmacSHA256";
    private static final byte[] SEPARATOR = {'.'};
    // Whole seconds, no sign: twelve digits reach far past any real clock and keep the parse from overflowing.
    private static final Pattern UNIX_SECONDS = Pattern.compile("[0-9]{1,12}");

    private final SecretKeySpec key;
    // Initialised once and cloned per request: Mac.getInstance searches the security providers every time.
    private final Mac prototype;
    private final Duration tolerance;
    private final boolean requireTimestamp;
    private final Clock clock;

    /**
     * A verifier.
     *
     * @param signingKey the HMAC key
     * @param tolerance how far a signed timestamp may be from this server's clock, either way
     * @param requireTimestamp whether a request without {@code X-Signature-Timestamp} is refused
     * @param clock the clock timestamps are compared with
     * @throws IllegalArgumentException if the tolerance is not positive
     */
    public SignatureVerifier(String signingKey, Duration tolerance, boolean requireTimestamp, Clock clock) {
        requireNonNull(signingKey, "signingKey is null");
        this.tolerance = requireNonNull(tolerance, "tolerance is null");
        if (tolerance.isNegative() || tolerance.isZero()) {
            throw new IllegalArgumentException("tolerance must be positive: " + tolerance);
        }
        this.requireTimestamp = requireTimestamp;
        this.clock = requireNonNull(clock, "clock is null");
        this.key = new SecretKeySpec(signingKey.getBytes(StandardCharsets.UTF_8), ALGORITHM);
        this.prototype = newMac();
    }

    /**
     * Checks a request's signature headers against its body.
     *
     * @param body the raw body
     * @param headers the request's headers
     * @throws ApiError a 401 saying what is missing or wrong
     */
    void check(byte[] body, Headers headers) {
        Optional<String> signature = headers.first(SIGNATURE);
        if (signature.isEmpty()) {
            throw unauthorized("the X-Signature header is missing");
        }
        Optional<String> timestamp = headers.first(TIMESTAMP).map(String::strip);
        if (timestamp.isEmpty() && requireTimestamp) {
            throw unauthorized("the X-Signature-Timestamp header is missing; this server requires it, and the "
                    + "X-Signature over the timestamp, \".\" and the body");
        }
        if (timestamp.isPresent() && !UNIX_SECONDS.matcher(timestamp.get()).matches()) {
            throw unauthorized("the X-Signature-Timestamp must be a Unix time in whole seconds");
        }
        byte[] expected = sign(timestamp, body).getBytes(StandardCharsets.US_ASCII);
        byte[] given = signature.get().strip().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, given)) {
            throw unauthorized(timestamp.isPresent() ? "the X-Signature does not match the X-Signature-Timestamp "
                    + "and the body" : "the X-Signature does not match the body");
        }
        if (timestamp.isPresent()) {
            // Checked after the signature, so that only a caller holding the key learns how far off its clock is.
            Duration skew = Duration.between(Instant.ofEpochSecond(Long.parseLong(timestamp.get())), clock.instant());
            if (skew.abs().compareTo(tolerance) > 0) {
                throw unauthorized("the X-Signature-Timestamp is " + skew.abs().toSeconds() + " s "
                        + (skew.isNegative() ? "ahead of" : "behind") + " this server's clock; at most "
                        + tolerance.toSeconds() + " s is accepted");
            }
        }
    }

    private String sign(Optional<String> timestamp, byte[] body) {
        Mac mac;
        try {
            mac = (Mac) prototype.clone();
        } catch (CloneNotSupportedException e) {
            mac = newMac();
        }
        if (timestamp.isPresent()) {
            mac.update(timestamp.get().getBytes(StandardCharsets.US_ASCII));
            mac.update(SEPARATOR);
        }
        return HexFormat.of().formatHex(mac.doFinal(body));
    }

    private static ApiError unauthorized(String message) {
        return new ApiError(Status.UNAUTHORIZED_401, "unauthorized", message);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
