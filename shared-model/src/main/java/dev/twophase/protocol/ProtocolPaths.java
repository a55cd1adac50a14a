package dev.twophase.protocol;

/** The HTTP paths of the participant protocol and of decision inquiry; see src-docs/protocol.md. */
public final class ProtocolPaths {

    /** Participant: phase 1. Body {@link PrepareRequest}, answer {@link VoteResponse}. */
    public static final String PREPARE = "/2pc/transactions/{txId}/prepare";
    /** Participant: phase 2, commit. No body; answer {@link DecisionAck}. */
    public static final String COMMIT = "/2pc/transactions/{txId}/commit";
    /** Participant: phase 2, abort. No body; answer {@link DecisionAck}. */
    public static final String ABORT = "/2pc/transactions/{txId}/abort";
    /** Participant: several prepare / commit / abort messages at once. Body {@link MessageBatch}, answer {@link BatchReplies}. */
    public static final String BATCH = "/2pc/batch";
    /**
     * Participant: the one-phase optimisation, for a transaction whose only participant is this bank. Body
     * {@link PrepareRequest}, answer {@link OnePhaseOutcome}: the bank decides and applies in one step.
     */
    public static final String COMMIT_ONE_PHASE = "/2pc/transactions/{txId}/commit-one-phase";
    /**
     * Participant: an operator's heuristic decision for one in-doubt transaction. Body {@link HeuristicDecisionRequest},
     * answer {@link ParticipantTransaction}. Not part of the coordinator's protocol: only operators call it.
     */
    public static final String HEURISTIC = "/2pc/transactions/{txId}/heuristic";
    /** Participant: one transaction's record, {@link ParticipantTransaction}. */
    public static final String TRANSACTION = "/2pc/transactions/{txId}";
    /** Participant: transactions, filtered by {@code ?state=}. */
    public static final String TRANSACTIONS = "/2pc/transactions";
    /**
     * Participant: what it committed and aborted in a window of time, {@link DecisionsPage}; signed like every message
     * (read-only): {@code ?from=&to=[&afterDecidedAt=&afterTxId=][&limit=]}.
     */
    public static final String DECISIONS = "/2pc/decisions";
    /** Coordinator: what was decided, {@link DecisionInquiryResponse}. */
    public static final String DECISION_INQUIRY = "/api/transactions/{txId}/decision";

    private ProtocolPaths() {}

    public static String phaseTwoPath(Decision decision) {
        return decision == Decision.COMMIT ? COMMIT : ABORT;
    }
}
