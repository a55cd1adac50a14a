package dev.twophase.coordinator.transfer.web;

import dev.twophase.coordinator.log.ParticipantEntry;
import dev.twophase.coordinator.log.TransactionRecord;
import dev.twophase.coordinator.transaction.HeuristicOutcome;
import dev.twophase.coordinator.transaction.Leg;
import dev.twophase.coordinator.transaction.Transfer;
import dev.twophase.protocol.AbortReason;
import dev.twophase.protocol.Money;
import dev.twophase.protocol.TransferStatus;
import dev.twophase.protocol.Vote;
import java.time.Instant;
import java.util.List;

/**
 * A transaction of any number of legs as the API shows it. {@code reason} is set only for ABORTED, and with it
 * {@code concerning}: the bank whose vote (or silence) aborted it and the legs there it concerns, when a bank did.
 */
record TransactionView(
        String transactionId,
        TransferStatus status,
        AbortReason reason,
        Concerning concerning,
        List<LegView> legs,
        Instant createdAt,
        Instant decidedAt,
        /* When every bank had acknowledged the decision (phase 2 complete); null until then. */
        Instant completedAt,
        List<ParticipantView> participants) {

    /** A leg as it was asked for; {@code amount} signed, negative for a debit. */
    record LegView(String bank, String account, String amount) {
        static LegView of(Leg leg) {
            return new LegView(leg.bank(), leg.account(), Money.format(leg.amount()));
        }
    }

    /**
     * The bank an abort came from and the positions of its legs it concerns (from 0, as in the request): its debits for
     * INSUFFICIENT_FUNDS, every leg there otherwise (which of its accounts is unknown, say, the bank does not tell).
     */
    record Concerning(String bank, List<Integer> legs) {}

    /**
     * One bank's part: the positions of its legs, its vote ({@code null} if none arrived) and why it was not YES,
     * whether and when it acknowledged the decision, and {@code heuristic} (MATCH or MISMATCH) when an operator decided
     * it at the bank alone.
     */
    record ParticipantView(
            String bankId,
            List<Integer> legs,
            Vote vote,
            AbortReason voteReason,
            boolean acknowledged,
            Instant acknowledgedAt,
            HeuristicOutcome heuristic) {}

    static TransactionView of(TransactionRecord record, TransferStatus status) {
        Transfer transfer = record.transfer();
        boolean aborted = status == TransferStatus.ABORTED;
        return new TransactionView(
                record.txId(),
                status,
                aborted ? record.reason() : null,
                aborted ? concerning(record) : null,
                transfer.legs().stream().map(LegView::of).toList(),
                record.createdAt(),
                record.decidedAt(),
                record.endedAt(),
                record.participants().stream()
                        .map(part -> new ParticipantView(
                                part.bankId(),
                                transfer.legsAt(part.bankId()),
                                part.vote(),
                                part.voteReason(),
                                part.acknowledged(),
                                part.acknowledgedAt(),
                                part.heuristic()))
                        .toList());
    }

    /** The first bank, in leg order, whose ballot carries the abort's reason; none for the coordinator's own reasons. */
    private static Concerning concerning(TransactionRecord record) {
        Transfer transfer = record.transfer();
        for (String bank : transfer.banks()) {
            ParticipantEntry part = record.participants().stream()
                    .filter(p -> p.bankId().equals(bank))
                    .findFirst()
                    .orElseThrow();
            if (part.vote() != Vote.YES && part.voteReason() != null && part.voteReason() == record.reason()) {
                List<Integer> legs = transfer.legsAt(bank);
                if (record.reason() == AbortReason.INSUFFICIENT_FUNDS) {
                    legs = legs.stream()
                            .filter(i -> transfer.legs().get(i).isDebit())
                            .toList();
                }
                return new Concerning(bank, legs);
            }
        }
        return null;
    }
}
