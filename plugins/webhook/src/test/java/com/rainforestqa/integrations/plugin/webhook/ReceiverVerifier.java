package com.rainforestqa.integrations.plugin.webhook;

import com.rainforestqa.integrations.testkit.RecordedRequest;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A receiver's check of a Standard Webhooks signature, written from the spec's steps and sharing no code with the
 * plugin, so that a mistake in the plugin's signing cannot hide behind the same mistake here.
 */
final class ReceiverVerifier {
    private ReceiverVerifier() {
    }

    /**
     * Whether a received request carries a valid {@code v1} signature for the secret.
     *
     * @param secret the {@code whsec_...} secret the receiver shares with the sender
     * @param request the request as it arrived
     * @return true when one of the listed signatures matches
     */
    static boolean verifies(String secret, RecordedRequest request) throws GeneralSecurityException {
        // 1. The key is the base64-decoded part after the prefix, not the text of the secret.
        byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
        // 2. The signed content is id.timestamp.body, over the body's bytes as received.
        String id = request.header("webhook-id").orElseThrow();
        String timestamp = request.header("webhook-timestamp").orElseThrow();
        byte[] content = (id + "." + timestamp + "." + request.body()).getBytes(StandardCharsets.UTF_8);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        byte[] expected = Base64.getEncoder().encode(mac.doFinal(content));
        // 3. The header lists space-separated "version,signature" pairs; compare v1 ones in constant time.
        for (String entry : request.header("webhook-signature").orElse("").split(" ")) {
            String[] parts = entry.split(",", 2);
            if (parts.length == 2 && parts[0].equals("v1")
                    && MessageDigest.isEqual(expected, parts[1].getBytes(StandardCharsets.US_ASCII))) {
                return true;
            }
        }
        return false;
    }
}
