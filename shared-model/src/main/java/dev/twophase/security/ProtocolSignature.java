package dev.twophase.security;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How protocol messages between the coordinator and a bank are authenticated: HMAC-SHA256, with the secret the two
 * share, over the method, the path and query, who signs, a timestamp, a nonce and the SHA-256 of the body. The
 * receiver recomputes it ({@link SignatureVerifier}), rejects a stale timestamp and a nonce it has seen, so a forged,
 * altered, stale or replayed message changes nothing. See src-docs/protocol.md, "Authentication".
 */
public final class ProtocolSignature {

    /** Who signed: {@value #COORDINATOR} for the coordinator, the bank id for a bank. */
    public static final String KEY_ID = "X-Twophase-Key-Id";
    /** When it was signed, in milliseconds since the epoch. */
    public static final String TIMESTAMP = "X-Twophase-Timestamp";
    /** A random value used once, so that a captured message cannot be sent again. */
    public static final String NONCE = "X-Twophase-Nonce";
    /** Base64url HMAC-SHA256 of the canonical string. */
    public static final String SIGNATURE = "X-Twophase-Signature";
    /** The key id the coordinator signs with. */
    public static final String COORDINATOR = "coordinator";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();

    private ProtocolSignature() {}

    /** The four headers that authenticate one request signed now by {@code keyId} with {@code secret}. */
    public static Map<String, String> headers(
            String keyId, byte[] secret, String method, String pathAndQuery, byte[] body, Instant now) {
        String timestamp = Long.toString(now.toEpochMilli());
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        String nonceText = BASE64.encodeToString(nonce);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(KEY_ID, keyId);
        headers.put(TIMESTAMP, timestamp);
        headers.put(NONCE, nonceText);
        headers.put(SIGNATURE, compute(secret, keyId, method, pathAndQuery, timestamp, nonceText, body));
        return headers;
    }

    /** The signature of one request; exposed so that a verifier (or another implementation) computes the same. */
    public static String compute(
            byte[] secret,
            String keyId,
            String method,
            String pathAndQuery,
            String timestamp,
            String nonce,
            byte[] body) {
        String canonical = String.join(
                "\n",
                method.toUpperCase(Locale.ROOT),
                pathAndQuery,
                keyId,
                timestamp,
                nonce,
                BASE64.encodeToString(sha256(body == null ? new byte[0] : body)));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return BASE64.encodeToString(mac.doFinal(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    /** Compares two secrets or signatures in time that does not depend on where they differ. */
    public static boolean constantTimeEquals(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        // Hashing first makes the comparison independent of the lengths too.
        return MessageDigest.isEqual(
                sha256(a.getBytes(StandardCharsets.UTF_8)), sha256(b.getBytes(StandardCharsets.UTF_8)));
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }
}
