package dev.twophase.protocol;

/**
 * The coordinator's answer to a participant that asks what happened to a transaction.
 * PENDING only while the coordinator is still collecting votes; an unknown transaction is ABORT (presumed abort).
 */
public enum InquiryAnswer {
    COMMIT,
    ABORT,
    PENDING
}
