package dev.twophase.security;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Checks a signed protocol request ({@link ProtocolSignature}): the signer is one this side knows, the timestamp is
 * within the allowed clock skew, the signature matches (compared in constant time), and the nonce has not been seen
 * within the window. Nonces are remembered only for as long as their timestamp is acceptable, so memory is bounded by
 * the request rate times the window; a nonce is remembered only after its signature is good, so forgeries cannot fill
 * it.
 */
public final class SignatureVerifier {

    /** The outcome: the verified signer, or why the request is rejected (never echoing a secret or signature). */
    public record Verdict(String keyId, String rejection) {
        public boolean accepted() {
            return rejection == null;
        }

        static Verdict reject(String why) {
            return new Verdict(null, why);
        }
    }

    private final Map<String, byte[]> secrets;
    private final Duration window;
    private final Clock clock;
    private final int maxNonces;
    /** Nonce → the epoch millisecond after which its timestamp is stale anyway. */
    private final Map<String, Long> seen = new ConcurrentHashMap<>();

    private volatile long lastSweep;

    /**
     * @param secrets the shared secret of each signer this side accepts, by key id
     * @param window how far a timestamp may be from this side's clock, either way
     * @param maxNonces most nonces remembered; beyond it (an extreme request rate) requests are refused until old ones
     *     expire, rather than memory growing
     */
    public SignatureVerifier(Map<String, String> secrets, Duration window, Clock clock, int maxNonces) {
        this.secrets = new ConcurrentHashMap<>();
        secrets.forEach((id, secret) -> this.secrets.put(id, secret.getBytes(StandardCharsets.UTF_8)));
        this.window = window;
        this.clock = clock;
        this.maxNonces = maxNonces;
    }

    /**
     * Checks a received request whose headers {@code header} looks up by name ({@code request::getHeader} on a
     * servlet request); {@code pathAndQuery} is the raw path and query as received.
     */
    public Verdict verify(Function<String, String> header, String method, String pathAndQuery, byte[] body) {
        return verify(
                header.apply(ProtocolSignature.KEY_ID),
                header.apply(ProtocolSignature.TIMESTAMP),
                header.apply(ProtocolSignature.NONCE),
                header.apply(ProtocolSignature.SIGNATURE),
                method,
                pathAndQuery,
                body);
    }

    public Verdict verify(
            String keyId,
            String timestamp,
            String nonce,
            String signature,
            String method,
            String pathAndQuery,
            byte[] body) {
        if (keyId == null || timestamp == null || nonce == null || signature == null) {
            return Verdict.reject("the request is not signed (" + ProtocolSignature.KEY_ID + ", "
                    + ProtocolSignature.TIMESTAMP + ", " + ProtocolSignature.NONCE + ", "
                    + ProtocolSignature.SIGNATURE + " are required)");
        }
        byte[] secret = secrets.get(keyId);
        if (secret == null) {
            return Verdict.reject("unknown signer");
        }
        long signedAt;
        try {
            signedAt = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            return Verdict.reject("malformed timestamp");
        }
        long now = clock.millis();
        if (Math.abs(now - signedAt) > window.toMillis()) {
            return Verdict.reject("stale or future timestamp (more than " + window.toSeconds() + " s off)");
        }
        String expected = ProtocolSignature.compute(secret, keyId, method, pathAndQuery, timestamp, nonce, body);
        if (!ProtocolSignature.constantTimeEquals(expected, signature)) {
            return Verdict.reject("bad signature");
        }
        forgetExpired(now);
        if (seen.size() >= maxNonces) {
            return Verdict.reject("too many recent requests to check for replays; try again shortly");
        }
        if (seen.putIfAbsent(keyId + ":" + nonce, signedAt + window.toMillis()) != null) {
            return Verdict.reject("replayed request (nonce already used)");
        }
        return new Verdict(keyId, null);
    }

    /** The secret of {@code keyId}, for signing answers or requests the other way. */
    public Optional<byte[]> secretOf(String keyId) {
        return Optional.ofNullable(secrets.get(keyId));
    }

    /** Drops nonces whose timestamps are stale anyway; at most once a second, on the way. */
    private void forgetExpired(long now) {
        if (now - lastSweep > 1000) {
            lastSweep = now;
            seen.values().removeIf(expiry -> expiry < now);
        }
    }
}
