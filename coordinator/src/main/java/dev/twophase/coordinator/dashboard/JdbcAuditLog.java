package dev.twophase.coordinator.dashboard;

import dev.twophase.store.GroupCommit;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;

/** {@link AuditLog} in the coordinator's database (table audit_log), written through the log's group commit. */
@Repository
class JdbcAuditLog implements AuditLog {

    private static final String SELECT =
            "SELECT id, at, actor, action, tx_id, bank_id, reason, result, detail FROM audit_log";

    private final JdbcTemplate jdbc;
    private final GroupCommit writes;

    JdbcAuditLog(JdbcTemplate jdbc, GroupCommit logWrites) {
        this.jdbc = jdbc;
        this.writes = logWrites;
    }

    @Override
    public AuditEntry append(AuditEntry entry) {
        long id = writes.write(() -> {
            GeneratedKeyHolder key = new GeneratedKeyHolder();
            jdbc.update(
                    connection -> {
                        var insert = connection.prepareStatement(
                                """
                                INSERT INTO audit_log (at, actor, action, tx_id, bank_id, reason, result, detail)
                                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                                """,
                                new String[] {"id"});
                        insert.setTimestamp(1, Timestamp.from(entry.at()));
                        insert.setString(2, entry.actor());
                        insert.setString(3, entry.action().name());
                        insert.setString(4, entry.txId());
                        insert.setString(5, entry.bankId());
                        insert.setString(6, truncate(entry.reason()));
                        insert.setString(7, entry.result().name());
                        insert.setString(8, truncate(entry.detail()));
                        return insert;
                    },
                    key);
            return key.getKey().longValue();
        });
        return new AuditEntry(
                id,
                entry.at(),
                entry.actor(),
                entry.action(),
                entry.txId(),
                entry.bankId(),
                entry.reason(),
                entry.result(),
                entry.detail());
    }

    @Override
    public List<AuditEntry> latest(int limit) {
        return jdbc.query(SELECT + " ORDER BY id DESC LIMIT ?", JdbcAuditLog::entry, limit);
    }

    @Override
    public List<AuditEntry> forTransaction(String txId) {
        return jdbc.query(SELECT + " WHERE tx_id = ? ORDER BY id", JdbcAuditLog::entry, txId);
    }

    private static AuditEntry entry(ResultSet rs, int row) throws SQLException {
        return new AuditEntry(
                rs.getLong("id"),
                rs.getTimestamp("at").toInstant(),
                rs.getString("actor"),
                OperatorAction.valueOf(rs.getString("action")),
                rs.getString("tx_id"),
                rs.getString("bank_id"),
                rs.getString("reason"),
                AuditEntry.Result.valueOf(rs.getString("result")),
                rs.getString("detail"));
    }

    private static String truncate(String text) {
        return text == null || text.length() <= 500 ? text : text.substring(0, 500);
    }

    @Override
    public int retireBefore(Instant before, int limit) {
        return writes.write(() -> jdbc.update(
                "DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log WHERE at < ? ORDER BY id LIMIT ?)",
                Timestamp.from(before),
                limit));
    }
}
