package dev.twophase.protocol;

/** A participant's answer to prepare. {@code reason} is set only when the vote is NO. */
public record VoteResponse(String txId, Vote vote, RefusalReason reason) {

    public static VoteResponse yes(String txId) {
        return new VoteResponse(txId, Vote.YES, null);
    }

    public static VoteResponse no(String txId, RefusalReason reason) {
        return new VoteResponse(txId, Vote.NO, reason);
    }
}
