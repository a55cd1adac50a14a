package dev.twophase.coordinator.log;

import dev.twophase.coordinator.transaction.Transfer;
import dev.twophase.coordinator.transaction.TxState;
import dev.twophase.protocol.AbortReason;
import java.time.Instant;
import java.util.List;

/** One transaction as the log holds it; {@code owner} is the node that may move it (the one that began it, or took it over). */
public record TransactionRecord(
        String txId,
        TxState state,
        Transfer transfer,
        AbortReason reason,
        String idempotencyKey,
        String requestHash,
        Instant createdAt,
        Instant decidedAt,
        Instant endedAt,
        List<ParticipantEntry> participants,
        Owner owner) {

    /** The same transaction, owned by {@code newOwner}. */
    public TransactionRecord ownedBy(Owner newOwner) {
        return new TransactionRecord(
                txId,
                state,
                transfer,
                reason,
                idempotencyKey,
                requestHash,
                createdAt,
                decidedAt,
                endedAt,
                participants,
                newOwner);
    }
}
