package dev.twophase.coordinator.dashboard;

import java.time.Instant;

/**
 * One operator action as the audit log keeps it: who, what, on which transaction (and bank), why, and what came of
 * it. Refused actions are kept too.
 */
public record AuditEntry(
        long id,
        Instant at,
        String actor,
        OperatorAction action,
        String txId,
        String bankId,
        String reason,
        Result result,
        String detail) {

    /** What came of an action. */
    public enum Result {
        /** The action was carried out. */
        DONE,
        /** The action was refused as unsafe or impossible; nothing changed. */
        REFUSED,
        /** The action was attempted and failed (for example the bank could not be reached); nothing changed. */
        FAILED
    }
}
