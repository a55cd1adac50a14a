package dev.twophase.conformance;

/**
 * How the kit signs one message: correctly, or broken in one of the ways a participant must refuse
 * (src-docs/protocol.md, "Authentication").
 */
public enum Signing {
    /** Signed by the coordinator with the shared secret, now, with a fresh nonce. */
    VALID,
    /** No signature headers at all. */
    UNSIGNED,
    /** Signed as the coordinator, but with another secret. */
    WRONG_SECRET,
    /** Signed by a key id the participant does not know. */
    UNKNOWN_SIGNER,
    /** Signed correctly over one body, sent with another. */
    TAMPERED,
    /** Signed correctly ten minutes ago. */
    STALE
}
