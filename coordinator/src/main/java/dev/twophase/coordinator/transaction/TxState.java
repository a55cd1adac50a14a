package dev.twophase.coordinator.transaction;

import dev.twophase.protocol.Decision;
import dev.twophase.protocol.TransferStatus;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * The coordinator's state of one transaction. The whole transition table is {@link #next()}; every write to the
 * log checks it, so an illegal move fails loudly and names the state it started from.
 */
public enum TxState {
    /** Logged before any prepare was sent; votes are being collected. No decision yet. */
    PREPARING,
    /** The COMMIT decision is durable (the commit point); delivering it until every bank acknowledges. */
    COMMITTING,
    /** The ABORT decision is recorded; delivering it to every bank that may have prepared. */
    ABORTING,
    /** Every bank acknowledged commit. Final. */
    COMMITTED,
    /** Every bank that needed to hear it acknowledged abort. Final. */
    ABORTED;

    public Set<TxState> next() {
        return switch (this) {
            case PREPARING -> EnumSet.of(COMMITTING, ABORTING);
            case COMMITTING -> EnumSet.of(COMMITTED);
            case ABORTING -> EnumSet.of(ABORTED);
            case COMMITTED, ABORTED -> EnumSet.noneOf(TxState.class);
        };
    }

    /** @throws IllegalTransition if the table does not allow {@code this → target} */
    public TxState moveTo(TxState target) {
        if (!next().contains(target)) {
            throw new IllegalTransition(this, target);
        }
        return target;
    }

    /** The decision this state stands for; empty while votes are being collected. */
    public Optional<Decision> decision() {
        return switch (this) {
            case PREPARING -> Optional.empty();
            case COMMITTING, COMMITTED -> Optional.of(Decision.COMMIT);
            case ABORTING, ABORTED -> Optional.of(Decision.ABORT);
        };
    }

    /** Final: every bank that needed the decision acknowledged it. */
    public boolean isEnded() {
        return this == COMMITTED || this == ABORTED;
    }

    public TransferStatus transferStatus() {
        return decision()
                .map(d -> d == Decision.COMMIT ? TransferStatus.COMMITTED : TransferStatus.ABORTED)
                .orElse(TransferStatus.PENDING);
    }

    public static TxState delivering(Decision decision) {
        return decision == Decision.COMMIT ? COMMITTING : ABORTING;
    }

    public static TxState ended(Decision decision) {
        return decision == Decision.COMMIT ? COMMITTED : ABORTED;
    }

    /** A move the transition table forbids. */
    public static final class IllegalTransition extends IllegalStateException {
        public IllegalTransition(TxState from, TxState to) {
            super("transaction is " + from + "; it cannot become " + to);
        }
    }
}
