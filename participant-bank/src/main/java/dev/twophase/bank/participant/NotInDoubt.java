package dev.twophase.bank.participant;

import dev.twophase.protocol.ParticipantState;

/** A heuristic decision was ordered for a transaction that is not in doubt here: it is already decided. */
public class NotInDoubt extends RuntimeException {

    public NotInDoubt(String txId, ParticipantState state) {
        super("tx=" + txId + " is already " + state + " at this bank; only a PREPARED transaction can be decided"
                + " heuristically");
    }
}
