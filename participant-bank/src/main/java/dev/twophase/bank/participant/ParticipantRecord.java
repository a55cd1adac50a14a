package dev.twophase.bank.participant;

import dev.twophase.protocol.Operation;
import dev.twophase.protocol.ParticipantState;
import dev.twophase.protocol.ParticipantTransaction;
import dev.twophase.protocol.RefusalReason;
import dev.twophase.protocol.VoteResponse;
import java.time.Instant;
import java.util.List;

/** One row of the participant log with its operations. */
public record ParticipantRecord(
        String txId,
        ParticipantState state,
        List<Operation> operations,
        RefusalReason reason,
        Instant preparedAt,
        Instant decidedAt,
        DecidedVia decidedVia,
        int inquiryAttempts,
        Instant lastInquiryAt,
        String lastInquiryError,
        String heuristicBy,
        String heuristicReason) {

    /** Whether an operator decided this transaction here alone. */
    public boolean heuristic() {
        return decidedVia == DecidedVia.HEURISTIC;
    }

    /** This record with its operations (the log reads them from a second table). */
    ParticipantRecord withOperations(List<Operation> ops) {
        return new ParticipantRecord(
                txId,
                state,
                List.copyOf(ops),
                reason,
                preparedAt,
                decidedAt,
                decidedVia,
                inquiryAttempts,
                lastInquiryAt,
                lastInquiryError,
                heuristicBy,
                heuristicReason);
    }

    /** The vote this record stands for, so that a repeated prepare gets the same answer as the first. */
    public VoteResponse vote() {
        // Only a prepared record has a prepared_at: it voted YES, whatever was decided since.
        return preparedAt != null
                ? VoteResponse.yes(txId)
                : VoteResponse.no(txId, reason == null ? RefusalReason.ALREADY_ABORTED : reason);
    }

    public ParticipantTransaction view() {
        return new ParticipantTransaction(
                txId,
                state,
                operations,
                reason,
                preparedAt,
                decidedAt,
                decidedVia == null ? null : decidedVia.name(),
                inquiryAttempts,
                lastInquiryAt,
                lastInquiryError,
                heuristicBy,
                heuristicReason);
    }
}
