package dev.twophase.protocol;

/** The coordinator's outcome for a transaction, sent in phase 2. */
public enum Decision {
    COMMIT,
    ABORT
}
