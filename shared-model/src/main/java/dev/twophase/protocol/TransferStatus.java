package dev.twophase.protocol;

/** What a client of the transfer API sees of a transfer. */
public enum TransferStatus {
    /** No decision yet: votes are still being collected. */
    PENDING,
    /** The decision is commit; phase 2 may still be delivering it. */
    COMMITTED,
    /** The decision is abort; no money moved. */
    ABORTED
}
