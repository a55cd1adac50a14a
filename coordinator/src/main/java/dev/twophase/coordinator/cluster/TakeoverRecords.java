package dev.twophase.coordinator.cluster;

import dev.twophase.coordinator.log.Owner;
import dev.twophase.store.GroupCommit;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The {@code takeovers} table (V6), written by the log with the owner changes themselves
 * ({@link dev.twophase.coordinator.log.TransactionLog#takeOver}); here it is read for the dashboard, and each takeover
 * is marked finished once the last of its transactions has ended.
 */
public class TakeoverRecords {

    /** A takeover as the dashboard shows it; {@code finishedAt} null while some of its transactions are unfinished. */
    public record TakeoverView(
            String id,
            Owner from,
            Owner by,
            Instant lastRenewedAt,
            Instant takenAt,
            int transactions,
            Instant finishedAt) {}

    /** A takeover just found finished. */
    record Finished(String id, Owner from, Instant lastRenewedAt, Instant finishedAt) {}

    private final JdbcTemplate jdbc;
    private final GroupCommit writes;

    TakeoverRecords(JdbcTemplate jdbc, GroupCommit writes) {
        this.jdbc = jdbc;
        this.writes = writes;
    }

    /** The most recent takeovers, newest first. */
    public List<TakeoverView> recent(int limit) {
        return jdbc.query(
                """
                SELECT id, node_id, epoch, by_node, by_epoch, last_renewed_at, taken_at, transactions, finished_at
                FROM takeovers ORDER BY taken_at DESC LIMIT ?
                """,
                (rs, n) -> new TakeoverView(
                        rs.getString(1),
                        new Owner(rs.getString(2), rs.getLong(3)),
                        new Owner(rs.getString(4), rs.getLong(5)),
                        instant(rs.getTimestamp(6)),
                        instant(rs.getTimestamp(7)),
                        rs.getInt(8),
                        instant(rs.getTimestamp(9))),
                limit);
    }

    /** Unfinished transactions per owner (node and epoch). */
    public Map<Owner, Integer> inFlightByOwner() {
        Map<Owner, Integer> counts = new java.util.HashMap<>();
        jdbc.query(
                """
                SELECT owner_node, owner_epoch, COUNT(*) FROM transactions
                WHERE state IN ('PREPARING', 'COMMITTING', 'ABORTING') GROUP BY owner_node, owner_epoch
                """,
                rs -> {
                    counts.put(new Owner(rs.getString(1), rs.getLong(2)), rs.getInt(3));
                });
        return counts;
    }

    /** Marks finished each of {@code byNode}'s takeovers whose transactions have all ended. */
    List<Finished> finishEnded(String byNode) {
        List<String> ended = jdbc.queryForList(
                """
                SELECT k.id FROM takeovers k
                WHERE k.by_node = ? AND k.finished_at IS NULL
                  AND NOT EXISTS (SELECT 1 FROM owner_changes c JOIN transactions t ON t.tx_id = c.tx_id
                                  WHERE c.takeover_id = k.id AND t.state IN ('PREPARING', 'COMMITTING', 'ABORTING'))
                """,
                String.class,
                byNode);
        List<Finished> finished = new ArrayList<>();
        for (String id : ended) {
            // Finished when the last of its transactions ended (as that node's clock recorded it), not when this
            // pass noticed.
            writes.write(() -> jdbc.update(
                    """
                    UPDATE takeovers SET finished_at = COALESCE(
                        (SELECT MAX(t.ended_at) FROM owner_changes c JOIN transactions t ON t.tx_id = c.tx_id
                         WHERE c.takeover_id = ?), CURRENT_TIMESTAMP)
                    WHERE id = ? AND finished_at IS NULL
                    """,
                    id,
                    id));
            finished.addAll(jdbc.query(
                    "SELECT id, node_id, epoch, last_renewed_at, finished_at FROM takeovers WHERE id = ?",
                    (rs, n) -> new Finished(
                            rs.getString(1),
                            new Owner(rs.getString(2), rs.getLong(3)),
                            instant(rs.getTimestamp(4)),
                            instant(rs.getTimestamp(5))),
                    id));
        }
        return finished;
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
