package dev.twophase.protocol;

/** Why the coordinator aborted a transfer; the {@code reason} of an ABORTED transfer. */
public enum AbortReason {
    /** The debited account lacks the available money. */
    INSUFFICIENT_FUNDS,
    /** An account does not exist at its bank. */
    UNKNOWN_ACCOUNT,
    /** A bank refused the operations as malformed. */
    INVALID_OPERATION,
    /** A bank could not be reached or answered with an error. */
    PARTICIPANT_UNAVAILABLE,
    /** A bank did not vote within the prepare timeout. */
    TIMEOUT,
    /** The coordinator restarted while votes were still being collected. */
    COORDINATOR_RESTARTED,
    /**
     * The coordinator node collecting the votes lost its lease (it died, was paused or was cut off from the cluster's
     * database); another node took the transaction over and aborted it (presumed abort).
     */
    COORDINATOR_TAKEN_OVER,
    /** The coordinator could not make its commit decision durable, so it aborted instead. */
    DECISION_NOT_LOGGED,
    /** An operator aborted the transaction while its votes were still being collected (ops dashboard). */
    OPERATOR_ABORTED;

    public static AbortReason of(RefusalReason refusal) {
        return switch (refusal) {
            case INSUFFICIENT_FUNDS -> INSUFFICIENT_FUNDS;
            case UNKNOWN_ACCOUNT -> UNKNOWN_ACCOUNT;
            case INVALID_OPERATION -> INVALID_OPERATION;
            // A bank that already holds an abort is one that timed out earlier: the caller's story is a timeout.
            case ALREADY_ABORTED -> TIMEOUT;
        };
    }
}
