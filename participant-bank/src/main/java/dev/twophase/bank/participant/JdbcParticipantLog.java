package dev.twophase.bank.participant;

import dev.twophase.protocol.DecidedTransaction;
import dev.twophase.protocol.Operation;
import dev.twophase.protocol.OperationType;
import dev.twophase.protocol.ParticipantState;
import dev.twophase.protocol.RefusalReason;
import dev.twophase.store.jdbc.InList;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;

/** {@link ParticipantLog} on the bank's H2 database; schema in db/migration. */
class JdbcParticipantLog implements ParticipantLog {

    private static final String SELECT =
            """
            SELECT l.tx_id, l.state, l.reason, l.prepared_at, l.decided_at, l.decided_via, l.inquiry_attempts,
                   l.last_inquiry_at, l.last_inquiry_error, l.heuristic_by, l.heuristic_reason,
                   o.account_id, o.type, o.amount
            FROM participant_log l LEFT JOIN participant_operations o ON o.tx_id = l.tx_id
            """;

    private final JdbcTemplate jdbc;

    JdbcParticipantLog(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Optional<ParticipantRecord> find(String txId) {
        return query(SELECT + " WHERE l.tx_id = ? ORDER BY o.seq", txId).stream()
                .findFirst();
    }

    @Override
    public void recordPrepared(String txId, List<Operation> operations, Instant preparedAt, Instant firstInquiryAt) {
        jdbc.update(
                "INSERT INTO participant_log (tx_id, state, prepared_at, next_inquiry_at) VALUES (?, 'PREPARED', ?, ?)",
                txId,
                Timestamp.from(preparedAt),
                Timestamp.from(firstInquiryAt));
        List<Object[]> rows = new ArrayList<>();
        for (int seq = 0; seq < operations.size(); seq++) {
            Operation op = operations.get(seq);
            rows.add(new Object[] {txId, seq, op.account(), op.type().name(), op.amount()});
        }
        jdbc.batchUpdate(
                "INSERT INTO participant_operations (tx_id, seq, account_id, type, amount) VALUES (?, ?, ?, ?, ?)",
                rows);
    }

    @Override
    public void recordAborted(String txId, RefusalReason reason, Instant at) {
        jdbc.update(
                "INSERT INTO participant_log (tx_id, state, reason, decided_at) VALUES (?, 'ABORTED', ?, ?)",
                txId,
                reason.name(),
                Timestamp.from(at));
    }

    @Override
    public boolean decide(String txId, ParticipantState outcome, DecidedVia via, Instant at) {
        if (!ParticipantState.PREPARED.canMoveTo(outcome)) {
            throw new IllegalArgumentException("a prepared transaction cannot become " + outcome);
        }
        return jdbc.update(
                        "UPDATE participant_log SET state = ?, decided_at = ?, decided_via = ?, next_inquiry_at = NULL "
                                + "WHERE tx_id = ? AND state = 'PREPARED'",
                        outcome.name(),
                        Timestamp.from(at),
                        via.name(),
                        txId)
                == 1;
    }

    @Override
    public long count(ParticipantState state) {
        Long count =
                jdbc.queryForObject("SELECT COUNT(*) FROM participant_log WHERE state = ?", Long.class, state.name());
        return count == null ? 0 : count;
    }

    @Override
    public List<ParticipantRecord> findByState(ParticipantState state) {
        return query(SELECT + " WHERE l.state = ? ORDER BY l.prepared_at, l.tx_id, o.seq", state.name());
    }

    @Override
    public List<DecidedTransaction> findDecidedBetween(
            Instant from, Instant to, Instant afterDecidedAt, String afterTxId, int limit) {
        // The page's ids first (the decided_at index, LIMIT on transactions), then one row each with its net amount.
        Instant after = afterDecidedAt == null ? from : afterDecidedAt;
        String afterId = afterDecidedAt == null ? "" : afterTxId;
        return jdbc.query(
                """
                SELECT l.tx_id, l.state, l.decided_at,
                       COALESCE(SUM(CASE WHEN o.type = 'CREDIT' THEN o.amount ELSE -o.amount END), 0) AS net
                FROM (SELECT tx_id FROM participant_log
                      WHERE decided_at >= ? AND decided_at < ? AND (decided_at > ? OR (decided_at = ? AND tx_id > ?))
                      ORDER BY decided_at, tx_id LIMIT ?) page
                JOIN participant_log l ON l.tx_id = page.tx_id
                LEFT JOIN participant_operations o ON o.tx_id = l.tx_id
                GROUP BY l.tx_id, l.state, l.decided_at
                ORDER BY l.decided_at, l.tx_id
                """,
                (rs, n) -> new DecidedTransaction(
                        rs.getString("tx_id"),
                        ParticipantState.valueOf(rs.getString("state")),
                        rs.getTimestamp("decided_at").toInstant(),
                        rs.getBigDecimal("net").setScale(2)),
                Timestamp.from(from),
                Timestamp.from(to),
                Timestamp.from(after),
                Timestamp.from(after),
                afterId,
                limit);
    }

    @Override
    public List<String> findInDoubtDueForInquiry(Instant now, int limit) {
        return jdbc.queryForList(
                "SELECT tx_id FROM participant_log WHERE state = 'PREPARED' AND next_inquiry_at <= ? "
                        + "ORDER BY next_inquiry_at LIMIT ?",
                String.class,
                Timestamp.from(now),
                limit);
    }

    @Override
    public void scheduleInquiry(String txId, int attempts, Instant at, String error, Instant nextInquiryAt) {
        jdbc.update(
                """
                UPDATE participant_log SET inquiry_attempts = ?, last_inquiry_at = ?, last_inquiry_error = ?,
                                           next_inquiry_at = ?
                WHERE tx_id = ? AND state = 'PREPARED'
                """,
                attempts,
                Timestamp.from(at),
                error == null || error.length() <= 500 ? error : error.substring(0, 500),
                Timestamp.from(nextInquiryAt),
                txId);
    }

    @Override
    public void recordHeuristic(String txId, String operator, String reason) {
        jdbc.update(
                "UPDATE participant_log SET heuristic_by = ?, heuristic_reason = ? WHERE tx_id = ? AND decided_via = 'HEURISTIC'",
                operator,
                reason,
                txId);
    }

    @Override
    public int makeAllInDoubtDue(Instant at) {
        return jdbc.update(
                "UPDATE participant_log SET next_inquiry_at = ? WHERE state = 'PREPARED'", Timestamp.from(at));
    }

    /** Folds the joined rows (one per operation) back into records, keeping the query's order. */
    private List<ParticipantRecord> query(String sql, Object... args) {
        Map<String, RecordBuilder> byTx = new LinkedHashMap<>();
        jdbc.query(
                sql,
                (ResultSet rs) -> {
                    RecordBuilder builder = byTx.computeIfAbsent(rs.getString("tx_id"), id -> RecordBuilder.from(rs));
                    if (rs.getString("account_id") != null) {
                        builder.operations.add(new Operation(
                                rs.getString("account_id"),
                                OperationType.valueOf(rs.getString("type")),
                                rs.getBigDecimal("amount")));
                    }
                },
                args);
        return byTx.values().stream().map(RecordBuilder::build).toList();
    }

    private static final class RecordBuilder {
        private final ParticipantRecord head;
        private final List<Operation> operations = new ArrayList<>();

        private RecordBuilder(ParticipantRecord head) {
            this.head = head;
        }

        static RecordBuilder from(ResultSet rs) {
            try {
                String reason = rs.getString("reason");
                String via = rs.getString("decided_via");
                return new RecordBuilder(new ParticipantRecord(
                        rs.getString("tx_id"),
                        ParticipantState.valueOf(rs.getString("state")),
                        List.of(),
                        reason == null ? null : RefusalReason.valueOf(reason),
                        instant(rs.getTimestamp("prepared_at")),
                        instant(rs.getTimestamp("decided_at")),
                        via == null ? null : DecidedVia.valueOf(via),
                        rs.getInt("inquiry_attempts"),
                        instant(rs.getTimestamp("last_inquiry_at")),
                        rs.getString("last_inquiry_error"),
                        rs.getString("heuristic_by"),
                        rs.getString("heuristic_reason")));
            } catch (SQLException e) {
                throw new IllegalStateException("unreadable participant log row", e);
            }
        }

        ParticipantRecord build() {
            return head.withOperations(operations);
        }

        private static Instant instant(Timestamp timestamp) {
            return timestamp == null ? null : timestamp.toInstant();
        }
    }

    @Override
    public int retireDecided(Instant before, int limit) {
        // Through participant_log_by_decision (V4): the oldest decisions, stopping after the limit. No condition on the
        // state: the database would then read the in-doubt index instead, i.e. every decided record there is (H2
        // does). Only a decided record has a decided_at; the state is checked here again all the same.
        List<String> ids = jdbc
                .query(
                        """
                        SELECT tx_id, state FROM participant_log
                        WHERE decided_at < ? AND (decided_via IS NULL OR decided_via <> 'HEURISTIC')
                        ORDER BY decided_at LIMIT ?
                        """,
                        (rs, n) -> ParticipantState.valueOf(rs.getString(2)) == ParticipantState.PREPARED
                                ? null
                                : rs.getString(1),
                        Timestamp.from(before),
                        limit)
                .stream()
                .filter(Objects::nonNull)
                .toList();
        return InList.deleteTransactions(jdbc, ids, "participant_operations", "participant_log");
    }
}
