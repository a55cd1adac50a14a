package dev.twophase.protocol;

/** Why a participant voted NO. */
public enum RefusalReason {
    /** A debited account has less available money than the amount. */
    INSUFFICIENT_FUNDS,
    /** An operation names an account this participant does not hold. */
    UNKNOWN_ACCOUNT,
    /** The operations are empty or malformed (non-positive amount, too many fraction digits). */
    INVALID_OPERATION,
    /** An abort for this transaction arrived before its prepare; the late prepare is refused. */
    ALREADY_ABORTED
}
