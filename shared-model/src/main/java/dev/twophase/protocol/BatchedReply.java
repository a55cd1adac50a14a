package dev.twophase.protocol;

/**
 * The answer to one {@link BatchedMessage}: {@code status} is the HTTP status the message would have got alone.
 * On 200, a PREPARE has {@code vote} (and {@code reason} when NO), a COMMIT or ABORT has {@code state} and
 * {@code heuristic} (as in {@link DecisionAck}); otherwise {@code error} says what went wrong (400 invalid, 404 unknown
 * transaction, 409 decision conflict, 500).
 */
public record BatchedReply(
        String txId,
        int status,
        Vote vote,
        RefusalReason reason,
        ParticipantState state,
        Boolean heuristic,
        String error) {

    /** Absent (a bank that predates heuristic decisions) means false. */
    public BatchedReply {
        heuristic = Boolean.TRUE.equals(heuristic);
    }

    public static BatchedReply of(VoteResponse vote) {
        return new BatchedReply(vote.txId(), 200, vote.vote(), vote.reason(), null, false, null);
    }

    public static BatchedReply of(DecisionAck ack) {
        return new BatchedReply(ack.txId(), 200, null, null, ack.state(), ack.heuristic(), null);
    }

    public static BatchedReply failed(String txId, int status, String error) {
        return new BatchedReply(txId, status, null, null, null, false, error);
    }

    public VoteResponse asVote() {
        return new VoteResponse(txId, vote, reason);
    }

    public DecisionAck asAck() {
        return new DecisionAck(txId, state, heuristic);
    }
}
