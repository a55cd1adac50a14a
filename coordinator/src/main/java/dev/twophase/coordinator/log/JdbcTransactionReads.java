package dev.twophase.coordinator.log;

import dev.twophase.coordinator.transaction.TxState;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The reads of {@link JdbcTransactionLog}: on pooled connections, seeing only committed writes (a write may be
 * committed a moment before it is durable; {@code findDurable} in the log covers that); called on the log writer,
 * on its connection, inside its batch (what a write reads before it changes the row).
 */
final class JdbcTransactionReads {

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

    /** The row and its version, for the writer to write over (on the writer's connection: with the batch's writes). */
    Optional<WrittenRows.Written> findForWrite(String txId) {
        return jdbc
                .query(
                        TransactionRows.SELECT + " WHERE tx_id = ?",
                        (rs, n) -> new WrittenRows.Written(TransactionRows.record(rs, n), TransactionRows.version(rs)),
                        txId)
                .stream()
                .findFirst();
    }

    /** Decided transactions in {@code state} whose next delivery is due at or before {@code now}, earliest first. */
    List<TransactionRecord> findDeliveriesDue(TxState state, Instant now, int limit) {
        return jdbc.query(
                TransactionRows.SELECT
                        + " WHERE state = ? AND next_delivery_at <= ? ORDER BY state, next_delivery_at LIMIT ?",
                TransactionRows::record,
                state.name(),
                Timestamp.from(now),
                limit);
    }

    /** Every transaction whose decision is still being delivered. */
    List<TransactionRecord> findDelivering() {
        return jdbc.query(
                TransactionRows.SELECT + " WHERE state IN ('COMMITTING', 'ABORTING')", TransactionRows::record);
    }

    /** One query: the transaction and every bank's part are one row. */
    private Optional<TransactionRecord> findOne(String where, String key) {
        return jdbc.query(TransactionRows.SELECT + where, TransactionRows::record, key).stream()
                .findFirst();
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

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
