package dev.twophase.protocol;

/**
 * A participant's acknowledgement of commit or abort: {@code state} is its final state for the transaction.
 * Sent only once that state is durable at the participant; the coordinator may then stop sending the decision.
 *
 * <p>{@code heuristic} is true when an operator decided the transaction at this bank alone (a heuristic decision)
 * before the coordinator's decision arrived. {@code state} is then what the bank really did, which may contradict the
 * decision sent: a <em>heuristic mismatch</em>, which the coordinator reports and never resends, since no resend can
 * undo it. Absent means false.
 */
public record DecisionAck(String txId, ParticipantState state, Boolean heuristic) {

    /** A bank that predates heuristic decisions sends no {@code heuristic}: that means false. */
    public DecisionAck {
        heuristic = Boolean.TRUE.equals(heuristic);
    }

    /** An ordinary acknowledgement: the bank applied the coordinator's decision. */
    public DecisionAck(String txId, ParticipantState state) {
        this(txId, state, false);
    }

    /** Whether the bank's final state is the one {@code decision} asks for. */
    public boolean agreesWith(Decision decision) {
        return state == (decision == Decision.COMMIT ? ParticipantState.COMMITTED : ParticipantState.ABORTED);
    }
}
