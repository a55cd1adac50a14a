package dev.twophase.coordinator.cluster;

import dev.twophase.coordinator.log.Owner;
import dev.twophase.store.GroupCommit;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The SQL of {@code coordinator_nodes} (V6): joining, renewing, fencing and releasing leases. Every change is a
 * compare-and-set on the row (its epoch, its renewal count, whether it is fenced), so two nodes acting on one lease
 * at once cannot both succeed, and every time is the database's ({@code CURRENT_TIMESTAMP}). Writes go through the
 * log's writer, so that each is durable when it returns (the journal on H2, a commit on PostgreSQL).
 */
class NodeRegistry {

    private static final String SELECT =
            """
            SELECT node_id, epoch, lease_millis, started_at, renewed_at, renewals, host, pid, fenced_at, fenced_by
            FROM coordinator_nodes
            """;

    private final JdbcTemplate jdbc;
    private final GroupCommit writes;

    NodeRegistry(JdbcTemplate jdbc, GroupCommit writes) {
        this.jdbc = jdbc;
        this.writes = writes;
    }

    /** The database's clock. */
    Instant databaseNow() {
        return jdbc.queryForObject("SELECT CURRENT_TIMESTAMP", Timestamp.class).toInstant();
    }

    Optional<NodeLease> find(String nodeId) {
        return jdbc.query(SELECT + " WHERE node_id = ?", NodeRegistry::lease, nodeId).stream()
                .findFirst();
    }

    List<NodeLease> all() {
        return jdbc.query(SELECT + " ORDER BY node_id", NodeRegistry::lease);
    }

    /** A node id seen for the first time joins at epoch 1. @return false if another process inserted it first */
    boolean insert(String nodeId, Duration lease, String host, long pid) {
        try {
            return writes.write(() -> jdbc.update(
                            """
                            INSERT INTO coordinator_nodes (node_id, epoch, lease_millis, started_at, renewed_at, renewals,
                                                           host, pid)
                            VALUES (?, 1, ?, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 0, ?, ?)
                            """,
                            nodeId,
                            lease.toMillis(),
                            host,
                            pid))
                    == 1;
        } catch (DuplicateKeyException raced) {
            return false;
        }
    }

    /**
     * Joins again under the next epoch, if the lease is still exactly as it was read (same epoch, same renewal): the
     * lease must have been fenced, have lapsed, or belong to a process known dead. @return false if it changed
     */
    boolean rejoin(NodeLease read, Duration lease, String host, long pid) {
        return writes.write(() -> jdbc.update(
                        """
                        UPDATE coordinator_nodes
                        SET epoch = epoch + 1, lease_millis = ?, started_at = CURRENT_TIMESTAMP,
                            renewed_at = CURRENT_TIMESTAMP, renewals = 0, host = ?, pid = ?, fenced_at = NULL,
                            fenced_by = NULL
                        WHERE node_id = ? AND epoch = ? AND renewals = ?
                        """,
                        lease.toMillis(),
                        host,
                        pid,
                        read.nodeId(),
                        read.epoch(),
                        read.renewals()))
                == 1;
    }

    /** @return false if the lease is no longer this node's at this epoch: it was fenced, or the id joined again */
    boolean renew(Owner self) {
        return writes.write(() -> jdbc.update(
                        """
                        UPDATE coordinator_nodes SET renewed_at = CURRENT_TIMESTAMP, renewals = renewals + 1
                        WHERE node_id = ? AND epoch = ? AND fenced_at IS NULL
                        """,
                        self.node(),
                        self.epoch()))
                == 1;
    }

    /**
     * Fences a lapsed lease: from now on its renewal fails and its transactions may be taken over. Only if it is still
     * the very renewal judged lapsed. @return false if the node renewed meanwhile or another node fenced it first
     */
    boolean fence(NodeLease lapsed, String byNode) {
        return writes.write(() -> jdbc.update(
                        """
                        UPDATE coordinator_nodes SET fenced_at = CURRENT_TIMESTAMP, fenced_by = ?
                        WHERE node_id = ? AND epoch = ? AND renewals = ? AND fenced_at IS NULL
                        """,
                        byNode,
                        lapsed.nodeId(),
                        lapsed.epoch(),
                        lapsed.renewals()))
                == 1;
    }

    /** A node that stops cleanly fences itself: the others take over what it leaves at once, without waiting. */
    void release(Owner self) {
        writes.write(() -> jdbc.update(
                """
                UPDATE coordinator_nodes SET fenced_at = CURRENT_TIMESTAMP, fenced_by = node_id
                WHERE node_id = ? AND epoch = ? AND fenced_at IS NULL
                """,
                self.node(),
                self.epoch()));
    }

    private static NodeLease lease(ResultSet rs, int row) throws SQLException {
        long pid = rs.getLong(8);
        return new NodeLease(
                rs.getString(1),
                rs.getLong(2),
                Duration.ofMillis(rs.getLong(3)),
                instant(rs.getTimestamp(4)),
                instant(rs.getTimestamp(5)),
                rs.getLong(6),
                rs.getString(7),
                rs.wasNull() ? null : pid,
                instant(rs.getTimestamp(9)),
                rs.getString(10));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
