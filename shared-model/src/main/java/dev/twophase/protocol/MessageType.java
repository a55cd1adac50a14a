package dev.twophase.protocol;

/** The kind of a protocol message inside a {@link MessageBatch}. */
public enum MessageType {
    /** Phase 1; carries the operations, answered with a vote. */
    PREPARE,
    /** Phase 2, commit; answered with the participant's final state. */
    COMMIT,
    /** Phase 2, abort; answered with the participant's final state. */
    ABORT;

    public static MessageType of(Decision decision) {
        return decision == Decision.COMMIT ? COMMIT : ABORT;
    }
}
