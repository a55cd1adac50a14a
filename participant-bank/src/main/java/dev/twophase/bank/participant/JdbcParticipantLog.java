package dev.twophase.bank.participant;

import dev.twophase.protocol.Operation;
import dev.twophase.protocol.OperationType;
import dev.twophase.protocol.ParticipantState;
import dev.twophase.protocol.RefusalReason;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;

/** {@link ParticipantLog} on the bank's H2 database; schema in db/migration. */
class JdbcParticipantLog implements ParticipantLog {

    private static final String SELECT =
            """
            SELECT l.tx_id, l.state, l.reason, l.prepared_at, l.decided_at, l.decided_via, l.inquiry_attempts,
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
    public List<ParticipantRecord> findByState(ParticipantState state) {
        return query(SELECT + " WHERE l.state = ? ORDER BY l.prepared_at, l.tx_id, o.seq", state.name());
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
    public void scheduleInquiry(String txId, int attempts, Instant nextInquiryAt) {
        jdbc.update(
                "UPDATE participant_log SET inquiry_attempts = ?, next_inquiry_at = ? WHERE tx_id = ? AND state = 'PREPARED'",
                attempts,
                Timestamp.from(nextInquiryAt),
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
                        rs.getInt("inquiry_attempts")));
            } catch (SQLException e) {
                throw new IllegalStateException("unreadable participant log row", e);
            }
        }

        ParticipantRecord build() {
            return new ParticipantRecord(
                    head.txId(),
                    head.state(),
                    List.copyOf(operations),
                    head.reason(),
                    head.preparedAt(),
                    head.decidedAt(),
                    head.decidedVia(),
                    head.inquiryAttempts());
        }

        private static Instant instant(Timestamp timestamp) {
            return timestamp == null ? null : timestamp.toInstant();
        }
    }
}
