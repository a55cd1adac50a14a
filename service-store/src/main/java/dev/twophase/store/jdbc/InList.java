package dev.twophase.store.jdbc;

import java.util.Collections;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The placeholders of an SQL {@code IN} list: one statement for a whole batch of keys instead of one statement per
 * key (on H2 each statement is also a record in the redo journal; on PostgreSQL a round trip).
 */
public final class InList {

    private InList() {}

    /** {@code (?, ?, …)} with {@code count} placeholders; {@code count} must be at least 1. */
    public static String of(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("an IN list needs at least one value");
        }
        return "(" + String.join(", ", Collections.nCopies(count, "?")) + ")";
    }

    /**
     * Deletes the rows whose {@code tx_id} is one of {@code txIds} from each of {@code tables}, in that order (children
     * before the table they refer to), one statement per table.
     *
     * @return how many keys there were
     */
    public static int deleteTransactions(JdbcTemplate jdbc, List<String> txIds, String... tables) {
        if (txIds.isEmpty()) {
            return 0;
        }
        Object[] keys = txIds.toArray();
        for (String table : tables) {
            jdbc.update("DELETE FROM " + table + " WHERE tx_id IN " + of(keys.length), keys);
        }
        return keys.length;
    }
}
