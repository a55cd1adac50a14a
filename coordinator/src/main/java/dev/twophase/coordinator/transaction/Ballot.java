package dev.twophase.coordinator.transaction;

import dev.twophase.protocol.AbortReason;
import dev.twophase.protocol.Vote;
import dev.twophase.protocol.VoteResponse;

/**
 * What came back from one bank's prepare: a vote, or no vote at all ({@code vote == null}) because the bank timed
 * out or could not be reached. {@code reason} says why the ballot is not YES.
 */
public record Ballot(Vote vote, AbortReason reason) {

    public static final Ballot YES = new Ballot(Vote.YES, null);

    public static Ballot of(VoteResponse response) {
        return response.vote() == Vote.YES ? YES : new Ballot(Vote.NO, AbortReason.of(response.reason()));
    }

    public static Ballot timedOut() {
        return new Ballot(null, AbortReason.TIMEOUT);
    }

    public static Ballot unreachable() {
        return new Ballot(null, AbortReason.PARTICIPANT_UNAVAILABLE);
    }

    public boolean isYes() {
        return vote == Vote.YES;
    }

    /** A bank that voted NO has already aborted on its own; any other non-YES bank may have prepared. */
    public boolean needsAbort() {
        return vote != Vote.NO;
    }
}
