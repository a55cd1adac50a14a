package dev.twophase.coordinator.log;

import dev.twophase.coordinator.transaction.HeuristicOutcome;
import dev.twophase.protocol.AbortReason;
import dev.twophase.protocol.ParticipantState;
import dev.twophase.protocol.Vote;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code more_parts} column (V7): the parts of a transaction's third and later banks, as JSON (a part's last
 * error is free text). Only transactions with more than two banks have one; the first two banks keep their columns.
 */
public final class MorePartsColumn {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private MorePartsColumn() {}

    /** NULL when there are none. */
    static String of(List<ParticipantEntry> parts) {
        if (parts.isEmpty()) {
            return null;
        }
        return JSON.writeValueAsString(parts.stream().map(Stored::of).toList());
    }

    public static List<ParticipantEntry> parse(String column) {
        if (column == null) {
            return List.of();
        }
        return Arrays.stream(JSON.readValue(column, Stored[].class))
                .map(Stored::entry)
                .toList();
    }

    /** A part as stored: enums by name and instants as ISO-8601, so that the column reads the same in any JDK. */
    record Stored(
            String bank,
            String vote,
            String voteReason,
            boolean acknowledged,
            String acknowledgedAt,
            int attempts,
            String lastError,
            String nextAttemptAt,
            String heuristic,
            String heuristicState) {

        static Stored of(ParticipantEntry part) {
            return new Stored(
                    part.bankId(),
                    name(part.vote()),
                    name(part.voteReason()),
                    part.acknowledged(),
                    text(part.acknowledgedAt()),
                    part.attempts(),
                    part.lastError(),
                    text(part.nextAttemptAt()),
                    name(part.heuristic()),
                    name(part.heuristicState()));
        }

        ParticipantEntry entry() {
            return new ParticipantEntry(
                    bank,
                    vote == null ? null : Vote.valueOf(vote),
                    voteReason == null ? null : AbortReason.valueOf(voteReason),
                    acknowledged,
                    acknowledgedAt == null ? null : Instant.parse(acknowledgedAt),
                    attempts,
                    lastError,
                    nextAttemptAt == null ? null : Instant.parse(nextAttemptAt),
                    heuristic == null ? null : HeuristicOutcome.valueOf(heuristic),
                    heuristicState == null ? null : ParticipantState.valueOf(heuristicState));
        }

        private static String name(Enum<?> value) {
            return value == null ? null : value.name();
        }

        private static String text(Instant instant) {
            return instant == null ? null : instant.toString();
        }
    }
}
