package dev.twophase.coordinator.dashboard;

import dev.twophase.coordinator.log.LegsColumn;
import dev.twophase.coordinator.log.MorePartsColumn;
import dev.twophase.coordinator.log.ParticipantEntry;
import dev.twophase.coordinator.transaction.HeuristicOutcome;
import dev.twophase.coordinator.transaction.Transfer;
import dev.twophase.coordinator.transaction.TxState;
import dev.twophase.protocol.Decision;
import dev.twophase.protocol.ParticipantState;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The dashboard's reads of the coordinator's log tables. Read-only, on pooled connections, never through the log
 * writer: a page refresh must not delay a decision. Every list is bounded.
 */
@Repository
public class OpsQueries {

    static final int LIMIT = 200;
    /** Counting every transaction by state scans the table; a few seconds old is fresh enough for a page. */
    private static final Duration COUNTS_TTL = Duration.ofSeconds(3);

    /** A decided transaction that {@code bankId} has not acknowledged yet. */
    record InDoubtDelivery(
            String txId,
            Decision decision,
            String bankId,
            Instant decidedAt,
            int attempts,
            String lastError,
            Instant nextAttemptAt,
            BigDecimal amount) {}

    /** A transaction whose votes are still being collected. */
    record Undecided(String txId, Instant createdAt, Transfer transfer) {}

    /** A bank that reported a heuristic outcome for a transaction. */
    public record HeuristicReport(
            String txId,
            TxState state,
            String bankId,
            HeuristicOutcome heuristic,
            ParticipantState bankState,
            Instant reportedAt) {}

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private volatile Map<TxState, Long> counts = Map.of();
    private volatile Instant countedAt = Instant.EPOCH;

    OpsQueries(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** How many transactions are in each state (a few seconds old at most). */
    Map<TxState, Long> countsByState() {
        Instant now = clock.instant();
        if (countedAt.plus(COUNTS_TTL).isBefore(now)) {
            Map<TxState, Long> fresh = new EnumMap<>(TxState.class);
            for (TxState state : TxState.values()) {
                fresh.put(state, 0L);
            }
            jdbc.query("SELECT state, COUNT(*) AS n FROM transactions GROUP BY state", rs -> {
                fresh.put(TxState.valueOf(rs.getString("state")), rs.getLong("n"));
            });
            counts = fresh;
            countedAt = now;
        }
        return counts;
    }

    /** How many deliveries of decisions are still unacknowledged (the coordinator's in-doubt count). */
    long countUndelivered() {
        return count(
                """
                SELECT COALESCE(SUM(CASE WHEN from_acknowledged THEN 0 ELSE 1 END
                                    + CASE WHEN to_acknowledged THEN 0 ELSE 1 END + more_waiting), 0)
                FROM transactions WHERE state IN ('COMMITTING', 'ABORTING')
                """);
    }

    /** How many transactions are still collecting votes. */
    long countUndecided() {
        return count("SELECT COUNT(*) FROM transactions WHERE state = 'PREPARING'");
    }

    private long count(String sql) {
        Long n = jdbc.queryForObject(sql, Long.class);
        return n == null ? 0 : n;
    }

    /** Decided, unacknowledged deliveries, oldest decision first. */
    List<InDoubtDelivery> inDoubtDeliveries() {
        List<InDoubtDelivery> deliveries = new ArrayList<>(jdbc.query(
                """
                SELECT * FROM (
                    SELECT tx_id, state, decided_at, amount, from_bank AS bank_id,
                           from_attempts AS attempts, from_last_error AS last_error,
                           from_next_attempt_at AS next_attempt_at
                    FROM transactions WHERE state IN ('COMMITTING', 'ABORTING') AND NOT from_acknowledged
                    UNION ALL
                    SELECT tx_id, state, decided_at, amount, to_bank,
                           to_attempts, to_last_error, to_next_attempt_at
                    FROM transactions WHERE state IN ('COMMITTING', 'ABORTING') AND NOT to_acknowledged
                ) deliveries
                ORDER BY decided_at, tx_id, bank_id LIMIT ?
                """,
                (rs, n) -> new InDoubtDelivery(
                        rs.getString("tx_id"),
                        TxState.valueOf(rs.getString("state")).decision().orElseThrow(),
                        rs.getString("bank_id"),
                        instant(rs.getTimestamp("decided_at")),
                        rs.getInt("attempts"),
                        rs.getString("last_error"),
                        instant(rs.getTimestamp("next_attempt_at")),
                        rs.getBigDecimal("amount")),
                LIMIT));
        // A transaction's third and later banks (V7), one row each, merged in by the same order.
        jdbc.query(
                """
                SELECT tx_id, state, decided_at, amount, more_parts FROM transactions
                WHERE state IN ('COMMITTING', 'ABORTING') AND more_waiting > 0 ORDER BY decided_at, tx_id LIMIT ?
                """,
                rs -> {
                    Decision decision =
                            TxState.valueOf(rs.getString("state")).decision().orElseThrow();
                    for (ParticipantEntry part : MorePartsColumn.parse(rs.getString("more_parts"))) {
                        if (!part.acknowledged()) {
                            deliveries.add(new InDoubtDelivery(
                                    rs.getString("tx_id"),
                                    decision,
                                    part.bankId(),
                                    instant(rs.getTimestamp("decided_at")),
                                    part.attempts(),
                                    part.lastError(),
                                    part.nextAttemptAt(),
                                    rs.getBigDecimal("amount")));
                        }
                    }
                },
                LIMIT);
        return deliveries.stream()
                .sorted(Comparator.comparing(InDoubtDelivery::decidedAt)
                        .thenComparing(InDoubtDelivery::txId)
                        .thenComparing(InDoubtDelivery::bankId))
                .limit(LIMIT)
                .toList();
    }

    /** Transactions still collecting votes, oldest first. */
    List<Undecided> undecided() {
        return jdbc.query(
                """
                SELECT tx_id, created_at, from_bank, from_account, to_bank, to_account, amount, legs
                FROM transactions WHERE state = 'PREPARING' ORDER BY created_at LIMIT ?
                """,
                (rs, n) -> new Undecided(
                        rs.getString("tx_id"),
                        instant(rs.getTimestamp("created_at")),
                        rs.getString("legs") == null
                                ? Transfer.between(
                                        rs.getString("from_bank"),
                                        rs.getString("from_account"),
                                        rs.getString("to_bank"),
                                        rs.getString("to_account"),
                                        rs.getBigDecimal("amount"))
                                : LegsColumn.parse(rs.getString("legs"))),
                LIMIT);
    }

    /** Heuristic outcomes reported by banks, mismatches first, newest first. */
    List<HeuristicReport> heuristics() {
        List<HeuristicReport> reports = new ArrayList<>(jdbc.query(
                """
                SELECT * FROM (
                    SELECT tx_id, state, from_bank AS bank_id, from_heuristic AS heuristic,
                           from_heuristic_state AS heuristic_state, from_acknowledged_at AS acknowledged_at
                    FROM transactions WHERE from_heuristic IS NOT NULL
                    UNION ALL
                    SELECT tx_id, state, to_bank, to_heuristic, to_heuristic_state, to_acknowledged_at
                    FROM transactions WHERE to_heuristic IS NOT NULL
                ) reports
                ORDER BY CASE heuristic WHEN 'MISMATCH' THEN 0 ELSE 1 END, acknowledged_at DESC LIMIT ?
                """,
                (rs, n) -> new HeuristicReport(
                        rs.getString("tx_id"),
                        TxState.valueOf(rs.getString("state")),
                        rs.getString("bank_id"),
                        HeuristicOutcome.valueOf(rs.getString("heuristic")),
                        ParticipantState.valueOf(rs.getString("heuristic_state")),
                        instant(rs.getTimestamp("acknowledged_at"))),
                LIMIT));
        // A transaction's third and later banks (V7).
        jdbc.query(
                "SELECT tx_id, state, more_parts FROM transactions WHERE more_heuristic LIMIT ?",
                rs -> {
                    for (ParticipantEntry part : MorePartsColumn.parse(rs.getString("more_parts"))) {
                        if (part.heuristic() != null) {
                            reports.add(new HeuristicReport(
                                    rs.getString("tx_id"),
                                    TxState.valueOf(rs.getString("state")),
                                    part.bankId(),
                                    part.heuristic(),
                                    part.heuristicState(),
                                    part.acknowledgedAt()));
                        }
                    }
                },
                LIMIT);
        return reports.stream()
                .sorted(Comparator.comparing(
                                (HeuristicReport report) -> report.heuristic() != HeuristicOutcome.MISMATCH)
                        .thenComparing(HeuristicReport::reportedAt, Comparator.nullsLast(Comparator.reverseOrder())))
                .limit(LIMIT)
                .toList();
    }

    /** The coordinator's state of each of {@code txIds} it has a record of. */
    Map<String, TxState> statesOf(Collection<String> txIds) {
        if (txIds.isEmpty()) {
            return Map.of();
        }
        List<String> ids = txIds.stream().distinct().limit(LIMIT).toList();
        String marks = ids.stream().map(id -> "?").collect(Collectors.joining(", "));
        Map<String, TxState> states = new HashMap<>();
        jdbc.query(
                "SELECT tx_id, state FROM transactions WHERE tx_id IN (" + marks + ")",
                rs -> {
                    states.put(rs.getString("tx_id"), TxState.valueOf(rs.getString("state")));
                },
                ids.toArray());
        return states;
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
