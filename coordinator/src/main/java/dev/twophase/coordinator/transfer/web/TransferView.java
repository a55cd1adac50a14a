package dev.twophase.coordinator.transfer.web;

import dev.twophase.coordinator.log.ParticipantEntry;
import dev.twophase.coordinator.log.TransactionRecord;
import dev.twophase.coordinator.transaction.HeuristicOutcome;
import dev.twophase.coordinator.transaction.Transfer;
import dev.twophase.protocol.AbortReason;
import dev.twophase.protocol.Money;
import dev.twophase.protocol.TransferStatus;
import dev.twophase.protocol.Vote;
import java.time.Instant;
import java.util.List;

/** A transfer as the API shows it. {@code reason} is set only for ABORTED. */
record TransferView(
        String transferId,
        TransferStatus status,
        AbortReason reason,
        String fromBank,
        String fromAccount,
        String toBank,
        String toAccount,
        String amount,
        Instant createdAt,
        Instant decidedAt,
        /* When every bank had acknowledged the decision (phase 2 complete); null until then. */
        Instant completedAt,
        List<ParticipantView> participants) {

    /**
     * One bank's part: its vote ({@code null} if none arrived) and whether it acknowledged the decision.
     * {@code heuristic} is MATCH or MISMATCH when an operator decided it at the bank alone (null otherwise).
     */
    record ParticipantView(String bankId, Vote vote, boolean acknowledged, HeuristicOutcome heuristic) {
        static ParticipantView of(ParticipantEntry entry) {
            return new ParticipantView(entry.bankId(), entry.vote(), entry.acknowledged(), entry.heuristic());
        }
    }

    /** A transfer from one account to another ({@link Transfer#asPair()}); any other shape is a TransactionView. */
    static TransferView of(TransactionRecord record, TransferStatus status) {
        Transfer.Pair pair = record.transfer().asPair().orElseThrow();
        return new TransferView(
                record.txId(),
                status,
                status == TransferStatus.ABORTED ? record.reason() : null,
                pair.fromBank(),
                pair.fromAccount(),
                pair.toBank(),
                pair.toAccount(),
                Money.format(pair.amount()),
                record.createdAt(),
                record.decidedAt(),
                record.endedAt(),
                record.participants().stream().map(ParticipantView::of).toList());
    }
}
