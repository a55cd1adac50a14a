package dev.twophase.protocol;

import java.time.Instant;
import java.util.List;

/**
 * A participant's view of one transaction, as listed by {@code GET /2pc/transactions}.
 *
 * @param decidedVia how the participant learnt the outcome: COORDINATOR, INQUIRY, ONE_PHASE or HEURISTIC (an
 *     operator decided it here alone); null while undecided
 * @param inquiryAttempts how many times this participant has asked the coordinator about it
 * @param lastInquiryAt when it last asked (null: not yet)
 * @param lastInquiryError why the last inquiry got no answer; null if the coordinator answered (or none was made)
 * @param heuristicBy who ordered a heuristic decision; null unless {@code decidedVia} is HEURISTIC
 * @param heuristicReason why, as the operator wrote it
 */
public record ParticipantTransaction(
        String txId,
        ParticipantState state,
        List<Operation> operations,
        RefusalReason reason,
        Instant preparedAt,
        Instant decidedAt,
        String decidedVia,
        Integer inquiryAttempts,
        Instant lastInquiryAt,
        String lastInquiryError,
        String heuristicBy,
        String heuristicReason) {

    /** Fields a participant may leave out (they came later to the protocol) read as "nothing to report". */
    public ParticipantTransaction {
        inquiryAttempts = inquiryAttempts == null ? 0 : inquiryAttempts;
    }
}
