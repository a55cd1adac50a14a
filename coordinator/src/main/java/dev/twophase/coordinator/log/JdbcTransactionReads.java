package dev.twophase.coordinator.log;

import dev.twophase.coordinator.transaction.HeuristicOutcome;
import dev.twophase.coordinator.transaction.Transfer;
import dev.twophase.coordinator.transaction.TxState;
import dev.twophase.protocol.AbortReason;
import dev.twophase.protocol.ParticipantState;
import dev.twophase.protocol.Vote;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

/**
 * The reads of {@link JdbcTransactionLog}: on pooled connections, never on the log writer, seeing only committed
 * writes (a write may be committed a moment before it is durable; {@code findDurable} in the log covers that).
 */
final class JdbcTransactionReads {

    private static final String SELECT_TRANSACTION =
            """
            SELECT tx_id, state, from_bank, from_account, to_bank, to_account, amount, reason, idempotency_key,
                   request_hash, created_at, decided_at, ended_at
            FROM transactions
            """;

    private final JdbcTemplate jdbc;

    JdbcTransactionReads(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    Optional<TransactionRecord> find(String txId) {
        return findOne(" WHERE tx_id = ?", txId);
    }

    Optional<TransactionRecord> findByIdempotencyKey(String idempotencyKey) {
        return findOne(" WHERE idempotency_key = ?", idempotencyKey);
    }

    /**
     * Reads the transaction row, then its participants, one query after the other: a query nested in the row
     * mapper would hold one pooled connection while waiting for a second, and under load every connection of the
     * pool ends up waiting for another (a pool deadlock).
     */
    private Optional<TransactionRecord> findOne(String where, String key) {
        Optional<TransactionRecord> head =
                jdbc.query(SELECT_TRANSACTION + where, JdbcTransactionReads::transaction, key).stream()
                        .findFirst();
        return head.map(record -> new TransactionRecord(
                record.txId(),
                record.state(),
                record.transfer(),
                record.reason(),
                record.idempotencyKey(),
                record.requestHash(),
                record.createdAt(),
                record.decidedAt(),
                record.endedAt(),
                jdbc.query(
                        "SELECT * FROM transaction_participants WHERE tx_id = ? ORDER BY bank_id",
                        PARTICIPANT,
                        record.txId())));
    }

    List<DeliveryFailure> findDeliveryFailures(String txId) {
        return jdbc.query(
                "SELECT tx_id, bank_id, attempt, failed_at, error FROM delivery_failures WHERE tx_id = ? ORDER BY id",
                (rs, n) -> new DeliveryFailure(
                        rs.getString("tx_id"),
                        rs.getString("bank_id"),
                        rs.getInt("attempt"),
                        instant(rs.getTimestamp("failed_at")),
                        rs.getString("error")),
                txId);
    }

    List<String> findUndecided() {
        return jdbc.queryForList(
                "SELECT tx_id FROM transactions WHERE state = 'PREPARING' ORDER BY created_at", String.class);
    }

    List<String> findUndecidedSince(Instant before, int limit) {
        return jdbc.queryForList(
                "SELECT tx_id FROM transactions WHERE state = 'PREPARING' AND created_at < ? ORDER BY created_at LIMIT ?",
                String.class,
                Timestamp.from(before),
                limit);
    }

    private static TransactionRecord transaction(ResultSet rs, int row) throws SQLException {
        String reason = rs.getString("reason");
        return new TransactionRecord(
                rs.getString("tx_id"),
                TxState.valueOf(rs.getString("state")),
                new Transfer(
                        rs.getString("from_bank"),
                        rs.getString("from_account"),
                        rs.getString("to_bank"),
                        rs.getString("to_account"),
                        rs.getBigDecimal("amount")),
                reason == null ? null : AbortReason.valueOf(reason),
                rs.getString("idempotency_key"),
                rs.getString("request_hash"),
                instant(rs.getTimestamp("created_at")),
                instant(rs.getTimestamp("decided_at")),
                instant(rs.getTimestamp("ended_at")),
                List.of());
    }

    private static final RowMapper<ParticipantEntry> PARTICIPANT = (rs, n) -> {
        String vote = rs.getString("vote");
        String voteReason = rs.getString("vote_reason");
        return new ParticipantEntry(
                rs.getString("bank_id"),
                vote == null ? null : Vote.valueOf(vote),
                voteReason == null ? null : AbortReason.valueOf(voteReason),
                rs.getBoolean("acknowledged"),
                instant(rs.getTimestamp("acknowledged_at")),
                rs.getInt("attempts"),
                rs.getString("last_error"),
                instant(rs.getTimestamp("next_attempt_at")),
                enumOrNull(HeuristicOutcome.class, rs.getString("heuristic")),
                enumOrNull(ParticipantState.class, rs.getString("heuristic_state")));
    };

    private static <E extends Enum<E>> E enumOrNull(Class<E> type, String name) {
        return name == null ? null : Enum.valueOf(type, name);
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
