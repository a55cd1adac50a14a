package dev.twophase.protocol;

import java.util.EnumSet;
import java.util.Set;

/**
 * A participant's record of one transaction. The allowed moves are the table in {@link #next()}:
 * a transaction is created PREPARED (voted yes) or ABORTED (voted no, or an abort arrived first),
 * and only PREPARED ever moves.
 */
public enum ParticipantState {
    /** Voted yes; holds are in place; waiting for the coordinator's decision. In doubt. */
    PREPARED,
    /** The decision was commit and it has been applied to the balances. Final. */
    COMMITTED,
    /** Voted no, or the decision was abort and any holds were released. Final. */
    ABORTED;

    /** The states this one may move to. */
    public Set<ParticipantState> next() {
        return switch (this) {
            case PREPARED -> EnumSet.of(COMMITTED, ABORTED);
            case COMMITTED, ABORTED -> EnumSet.noneOf(ParticipantState.class);
        };
    }

    public boolean canMoveTo(ParticipantState target) {
        return next().contains(target);
    }
}
