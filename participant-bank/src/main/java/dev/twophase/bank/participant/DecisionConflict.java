package dev.twophase.bank.participant;

import dev.twophase.protocol.ParticipantState;

/** A decision that contradicts the one already applied (commit after abort, or abort after commit). */
public class DecisionConflict extends RuntimeException {

    public DecisionConflict(String txId, ParticipantState state, String attempted) {
        super("tx=" + txId + " is already " + state + "; refusing " + attempted);
    }
}
