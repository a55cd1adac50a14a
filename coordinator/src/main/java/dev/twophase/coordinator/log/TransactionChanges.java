package dev.twophase.coordinator.log;

import dev.twophase.coordinator.transaction.Ballot;
import dev.twophase.coordinator.transaction.HeuristicOutcome;
import dev.twophase.coordinator.transaction.TxState;
import dev.twophase.protocol.AbortReason;
import dev.twophase.protocol.Decision;
import dev.twophase.protocol.ParticipantState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * What each write of the log does to a transaction, as plain functions from the record the writer read to the record
 * it writes back (one row, {@link TransactionRows}). The state moves only through {@link TxState#moveTo}, so an
 * illegal move throws and names the state it came from.
 */
final class TransactionChanges {

    private TransactionChanges() {}

    /**
     * The decision on a PREPARING transaction: each bank's ballot; a bank that voted NO needs no message (it aborted by
     * itself under presumed abort) and counts as acknowledged; every other bank's first delivery is due at {@code due}
     * (under an abort, also a bank still voting: it may prepare yet). Ends at once if nobody needs the decision.
     */
    static TransactionRecord decided(
            TransactionRecord record,
            Decision decision,
            AbortReason reason,
            Map<String, Ballot> ballots,
            Instant at,
            Instant due) {
        TxState delivering = record.state().moveTo(TxState.delivering(decision));
        List<ParticipantEntry> parts = record.participants().stream()
                .map(part -> {
                    Ballot ballot = ballots.get(part.bankId());
                    boolean needsNoMessage = ballot != null && !ballot.needsAbort();
                    return new ParticipantEntry(
                            part.bankId(),
                            ballot == null ? null : ballot.vote(),
                            ballot == null ? null : ballot.reason(),
                            needsNoMessage,
                            needsNoMessage ? at : null,
                            part.attempts(),
                            part.lastError(),
                            needsNoMessage ? null : due,
                            part.heuristic(),
                            part.heuristicState());
                })
                .toList();
        return endIfNobodyWaits(with(record, delivering, reason, at, null, parts), at);
    }

    /** One phase: the only bank decided and applied {@code decision} itself; its answer is also its acknowledgement. */
    static TransactionRecord decidedInOnePhase(
            TransactionRecord record, String bankId, Decision decision, AbortReason reason, Ballot ballot, Instant at) {
        TxState ended = record.state().moveTo(TxState.delivering(decision)).moveTo(TxState.ended(decision));
        TransactionRecord decided = withPart(
                record,
                bankId,
                part -> new ParticipantEntry(
                        part.bankId(),
                        ballot.vote(),
                        ballot.reason(),
                        true,
                        at,
                        part.attempts(),
                        part.lastError(),
                        null,
                        part.heuristic(),
                        part.heuristicState()));
        return with(decided, ended, reason, at, at, decided.participants());
    }

    /**
     * {@code bankIds} acknowledged the decision (flagged with {@code heuristic} and what the bank did, if it reported a
     * heuristic outcome); the transaction ends once nobody is left. A bank that had acknowledged already is left as it
     * was.
     */
    static TransactionRecord acknowledged(
            TransactionRecord record,
            List<String> bankIds,
            Instant at,
            HeuristicOutcome heuristic,
            ParticipantState heuristicState) {
        TransactionRecord changed = record;
        for (String bankId : bankIds) {
            changed = withPart(
                    changed,
                    bankId,
                    part -> part.acknowledged()
                            ? part
                            : new ParticipantEntry(
                                    part.bankId(),
                                    part.vote(),
                                    part.voteReason(),
                                    true,
                                    at,
                                    part.attempts(),
                                    part.lastError(),
                                    null,
                                    heuristic,
                                    heuristicState));
        }
        return changed.state().decision().isPresent() && !changed.state().isEnded()
                ? endIfNobodyWaits(changed, at)
                : changed;
    }

    /** A delivery to {@code bankId} failed: how many attempts so far, the error, and when to try again. */
    static TransactionRecord deliveryFailed(
            TransactionRecord record, String bankId, int attempts, String error, Instant nextAttemptAt) {
        return withPart(record, bankId, part -> withDelivery(part, attempts, error, nextAttemptAt));
    }

    /** {@code bankId}'s next delivery is due at {@code at} (a lease, a retry now, a restart). */
    static TransactionRecord dueAt(TransactionRecord record, String bankId, Instant at) {
        return withPart(record, bankId, part -> withDelivery(part, part.attempts(), part.lastError(), at));
    }

    private static ParticipantEntry withDelivery(
            ParticipantEntry part, int attempts, String lastError, Instant nextAttemptAt) {
        return new ParticipantEntry(
                part.bankId(),
                part.vote(),
                part.voteReason(),
                part.acknowledged(),
                part.acknowledgedAt(),
                attempts,
                lastError,
                nextAttemptAt,
                part.heuristic(),
                part.heuristicState());
    }

    /** The banks that still need the decision of a decided transaction; none while it is undecided or ended. */
    static List<ParticipantEntry> awaitingDecision(TransactionRecord record) {
        if (record.state().decision().isEmpty() || record.state().isEnded()) {
            return List.of();
        }
        return record.participants().stream()
                .filter(part -> !part.acknowledged())
                .toList();
    }

    private static TransactionRecord endIfNobodyWaits(TransactionRecord record, Instant at) {
        if (!record.participants().stream().allMatch(ParticipantEntry::acknowledged)) {
            return record;
        }
        TxState ended =
                record.state().moveTo(TxState.ended(record.state().decision().orElseThrow()));
        return with(record, ended, record.reason(), record.decidedAt(), at, record.participants());
    }

    private static TransactionRecord withPart(
            TransactionRecord record, String bankId, UnaryOperator<ParticipantEntry> change) {
        boolean found =
                record.participants().stream().anyMatch(part -> part.bankId().equals(bankId));
        if (!found) {
            throw new IllegalArgumentException(bankId + " takes no part in " + record.txId());
        }
        List<ParticipantEntry> parts = record.participants().stream()
                .map(part -> part.bankId().equals(bankId) ? change.apply(part) : part)
                .toList();
        return with(record, record.state(), record.reason(), record.decidedAt(), record.endedAt(), parts);
    }

    private static TransactionRecord with(
            TransactionRecord record,
            TxState state,
            AbortReason reason,
            Instant decidedAt,
            Instant endedAt,
            List<ParticipantEntry> parts) {
        return new TransactionRecord(
                record.txId(),
                state,
                record.transfer(),
                reason,
                record.idempotencyKey(),
                record.requestHash(),
                record.createdAt(),
                decidedAt,
                endedAt,
                parts,
                record.owner());
    }
}
