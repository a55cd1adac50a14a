package dev.twophase.bank.participant;

/** How the bank learnt a decision. */
public enum DecidedVia {
    /** The coordinator delivered it (phase 2). */
    COORDINATOR,
    /** The bank asked the coordinator after hearing nothing. */
    INQUIRY,
    /** The bank was the only participant and decided itself (commit-one-phase). */
    ONE_PHASE,
    /** An operator decided it here alone, without the coordinator (a heuristic decision). */
    HEURISTIC
}
