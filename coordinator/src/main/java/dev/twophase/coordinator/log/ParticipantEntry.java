package dev.twophase.coordinator.log;

import dev.twophase.coordinator.transaction.HeuristicOutcome;
import dev.twophase.protocol.AbortReason;
import dev.twophase.protocol.ParticipantState;
import dev.twophase.protocol.Vote;
import java.time.Instant;

/**
 * One bank's part in a transaction: its vote ({@code null} = none received) and its acknowledgement. {@code heuristic}
 * is set when the bank reported an operator's heuristic decision instead of applying the coordinator's;
 * {@code heuristicState} is then what the bank did.
 */
public record ParticipantEntry(
        String bankId,
        Vote vote,
        AbortReason voteReason,
        boolean acknowledged,
        Instant acknowledgedAt,
        int attempts,
        String lastError,
        Instant nextAttemptAt,
        HeuristicOutcome heuristic,
        ParticipantState heuristicState) {}
