package dev.twophase.coordinator.reconciliation;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One transaction on which the coordinator's log and a bank's do not agree (or which is still undecided past the
 * threshold).
 *
 * @param bankId the bank concerned; null for a transaction the coordinator itself has left undecided
 * @param here what the coordinator's log says: its state, or "none"
 * @param there what the bank's log says: its state, or "none"
 * @param netHere what the transaction moves at that bank by the coordinator's log (credits minus debits); null if
 *     it knows none
 * @param netThere what it moved there by the bank's; null if it applied nothing
 * @param heuristic true when the coordinator already knows of it as a heuristic outcome the bank reported
 * @param since when the transaction began (the coordinator's record) or was decided (the bank's, when only it knows)
 */
public record Disagreement(
        String txId,
        String bankId,
        Kind kind,
        String here,
        String there,
        BigDecimal netHere,
        BigDecimal netThere,
        boolean heuristic,
        Instant since) {

    /** The kinds of disagreement, each in an operator's words. */
    public enum Kind {
        /** Committed by the coordinator; the bank aborted it (a heuristic abort, or a broken participant). */
        COMMITTED_HERE_ABORTED_THERE("committed here, aborted at the bank"),
        /** Committed by the coordinator; the bank has no record of it at all. */
        COMMITTED_HERE_UNKNOWN_THERE("committed here, unknown at the bank"),
        /** Aborted by the coordinator (or never decided to commit); the bank committed it. */
        ABORTED_HERE_COMMITTED_THERE("aborted here, committed at the bank"),
        /** The bank committed it; the coordinator has no record of it. */
        APPLIED_THERE_UNKNOWN_HERE("committed at the bank, unknown here"),
        /** Both committed it, with different amounts at that bank. */
        AMOUNT_DIFFERS("committed on both sides, amounts differ"),
        /** Decided here, still not applied at the bank (PREPARED there) past the threshold. */
        IN_DOUBT_THERE("decided here, still in doubt at the bank"),
        /** Still undecided by the coordinator past the threshold. */
        UNDECIDED_HERE("still undecided here");

        private final String words;

        Kind(String words) {
            this.words = words;
        }

        public String words() {
            return words;
        }
    }
}
