package dev.twophase.coordinator.dashboard;

/** What an operator can do from the dashboard; each is confirmed on the page and kept in the audit log. */
public enum OperatorAction {
    /** Make a decided transaction's unacknowledged deliveries due now instead of after their backoff. */
    RETRY_DELIVERY,
    /** Abort a transaction whose votes are still being collected. */
    ABORT,
    /** Commit a transaction in doubt at one bank without the coordinator (a heuristic decision). */
    HEURISTIC_COMMIT,
    /** Abort a transaction in doubt at one bank without the coordinator (a heuristic decision). */
    HEURISTIC_ABORT
}
