package dev.twophase.protocol;

/**
 * A participant's answer to commit-one-phase: {@code state} is COMMITTED (the operations are applied) or ABORTED,
 * with {@code reason} saying why it refused. Sent only once that outcome is durable at the participant.
 */
public record OnePhaseOutcome(String txId, ParticipantState state, RefusalReason reason) {

    public static OnePhaseOutcome committed(String txId) {
        return new OnePhaseOutcome(txId, ParticipantState.COMMITTED, null);
    }

    public static OnePhaseOutcome aborted(String txId, RefusalReason reason) {
        return new OnePhaseOutcome(txId, ParticipantState.ABORTED, reason);
    }
}
