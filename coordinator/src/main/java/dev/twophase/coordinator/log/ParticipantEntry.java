package dev.twophase.coordinator.log;

import dev.twophase.protocol.AbortReason;
import dev.twophase.protocol.Vote;
import java.time.Instant;

/** One bank's part in a transaction: its vote ({@code null} = none received) and its acknowledgement. */
public record ParticipantEntry(
        String bankId,
        Vote vote,
        AbortReason voteReason,
        boolean acknowledged,
        Instant acknowledgedAt,
        int attempts,
        String lastError,
        Instant nextAttemptAt) {}
