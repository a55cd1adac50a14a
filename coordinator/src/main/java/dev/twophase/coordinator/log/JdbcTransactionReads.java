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
    /** Owned by {@code owner}: each node delivers the decisions of the transactions it owns. */
    List<TransactionRecord> findDeliveriesDue(TxState state, Instant now, int limit, Owner owner) {
        return jdbc.query(
                TransactionRows.SELECT
                        + " WHERE state = ? AND next_delivery_at <= ? AND owner_node = ? AND owner_epoch = ?"
                        + " ORDER BY state, next_delivery_at LIMIT ?",
                TransactionRows::record,
                state.name(),
                Timestamp.from(now),
                owner.node(),
                owner.epoch(),
                limit);
    }

    /** Every transaction owned by {@code owner} whose decision is still being delivered. */
    List<TransactionRecord> findDelivering(Owner owner) {
        return jdbc.query(
                TransactionRows.SELECT
                        + " WHERE state IN ('COMMITTING', 'ABORTING') AND owner_node = ? AND owner_epoch = ?",
                TransactionRows::record,
                owner.node(),
                owner.epoch());
    }

    /**
     * Unfinished transactions whose owner holds no lease: no row of coordinator_nodes has that node at that epoch
     * unfenced (the node's lease was fenced after it ran out, or the node has joined again under a newer epoch, or the
     * row predates the cluster). A node whose lease has run out but which nobody has fenced yet still owns its rows.
     */
    List<OwnedTransaction> findUnowned(int limit) {
        return jdbc.query(
                """
                SELECT tx_id, owner_node, owner_epoch FROM transactions t
                WHERE state IN ('PREPARING', 'COMMITTING', 'ABORTING')
                  AND NOT EXISTS (SELECT 1 FROM coordinator_nodes n
                                  WHERE n.node_id = t.owner_node AND n.epoch = t.owner_epoch AND n.fenced_at IS NULL)
                ORDER BY tx_id LIMIT ?
                """,
                (rs, n) -> new OwnedTransaction(rs.getString(1), new Owner(rs.getString(2), rs.getLong(3))),
                limit);
    }

    List<OwnerChange> findOwnerChanges(String txId) {
        return jdbc.query(
                """
                SELECT tx_id, takeover_id, from_node, from_epoch, to_node, to_epoch, changed_at FROM owner_changes
                WHERE tx_id = ? ORDER BY changed_at
                """,
                (rs, n) -> new OwnerChange(
                        rs.getString(1),
                        rs.getString(2),
                        new Owner(rs.getString(3), rs.getLong(4)),
                        new Owner(rs.getString(5), rs.getLong(6)),
                        instant(rs.getTimestamp(7))),
                txId);
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

    List<String> findUndecidedSince(Instant before, int limit, Owner owner) {
        return jdbc.queryForList(
                """
                SELECT tx_id FROM transactions
                WHERE state = 'PREPARING' AND created_at < ? AND owner_node = ? AND owner_epoch = ?
                ORDER BY created_at LIMIT ?
                """,
                String.class,
                Timestamp.from(before),
                owner.node(),
                owner.epoch(),
                limit);
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    List<TransactionRecord> findByIdRange(String lowestId, String belowId, String afterId, int limit) {
        return jdbc.query(
                TransactionRows.SELECT + " WHERE tx_id >= ? AND tx_id < ? AND tx_id > ? ORDER BY tx_id LIMIT ?",
                TransactionRows::record,
                lowestId,
                belowId,
                afterId,
                limit);
    }
}
