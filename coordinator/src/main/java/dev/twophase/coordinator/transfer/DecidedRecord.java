package dev.twophase.coordinator.transfer;

import dev.twophase.coordinator.log.Owner;
import dev.twophase.coordinator.log.ParticipantEntry;
import dev.twophase.coordinator.log.TransactionRecord;
import dev.twophase.coordinator.transaction.Ballot;
import dev.twophase.coordinator.transaction.Outcome;
import dev.twophase.coordinator.transaction.Transfer;
import dev.twophase.coordinator.transaction.TxState;
import dev.twophase.protocol.Decision;
import dev.twophase.protocol.TransferStatus;
import java.time.Instant;
import java.util.List;

/**
 * The transaction as the decision write left it in the log ({@code TransactionLog.logDecision}), built from what the
 * deciding thread wrote: a bank that voted NO needs no message and counts as acknowledged; if no bank needs the
 * decision the transaction ended with it. Saves reading back, on the request thread, what was just written.
 */
final class DecidedRecord {

    private DecidedRecord() {}

    static TransactionRecord of(
            String txId,
            Transfer transfer,
            String idempotencyKey,
            String requestHash,
            Instant createdAt,
            Owner owner,
            Outcome outcome) {
        Outcome.Decided decided = outcome.decided();
        Decision decision = outcome.status() == TransferStatus.COMMITTED ? Decision.COMMIT : Decision.ABORT;
        List<ParticipantEntry> participants = transfer.banks().stream()
                .sorted()
                .map(bank -> {
                    Ballot ballot = decided.ballots().get(bank);
                    boolean needsNoMessage = ballot != null && !ballot.needsAbort();
                    return new ParticipantEntry(
                            bank,
                            ballot == null ? null : ballot.vote(),
                            ballot == null ? null : ballot.reason(),
                            needsNoMessage,
                            needsNoMessage ? decided.at() : null,
                            0,
                            null,
                            null,
                            null,
                            null);
                })
                .toList();
        boolean ended = participants.stream().allMatch(ParticipantEntry::acknowledged);
        return new TransactionRecord(
                txId,
                ended ? TxState.ended(decision) : TxState.delivering(decision),
                transfer,
                outcome.reason(),
                idempotencyKey,
                requestHash,
                createdAt,
                decided.at(),
                ended ? decided.at() : null,
                participants,
                owner);
    }
}
