package dev.twophase.coordinator.log;

import dev.twophase.coordinator.transaction.Transfer;
import dev.twophase.coordinator.transaction.TxState;
import dev.twophase.protocol.AbortReason;
import java.time.Instant;
import java.util.List;

/** One transaction as the log holds it. */
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
        List<ParticipantEntry> participants) {}
