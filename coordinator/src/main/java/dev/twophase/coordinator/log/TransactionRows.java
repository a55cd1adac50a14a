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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * How a {@link TransactionRecord} is laid out in its one row of {@code transactions} (V5, V7): the transfer (a pair in
 * the from/to columns, any other shape in {@code legs}: {@link LegsColumn}), the state and, per bank in the order of
 * {@link Transfer#banks()}, its part: the first bank's in the {@code from_*} columns (for a transfer: the debited
 * bank), the second's in the {@code to_*} columns (the credited bank), any further ones in {@code more_parts}
 * ({@link MorePartsColumn}). A transaction within one bank has only the {@code from_*} part; its {@code to_*} columns
 * are unused (and {@code to_acknowledged} is TRUE, so that nothing waits on them).
 */
final class TransactionRows {

    /** Every column of a transaction, in the order {@link #record} reads them. */
    static final String SELECT =
            """
            SELECT tx_id, state, from_bank, from_account, to_bank, to_account, amount, reason, idempotency_key,
                   request_hash, created_at, decided_at, ended_at,
                   from_vote, from_vote_reason, from_acknowledged, from_acknowledged_at, from_attempts, from_last_error,
                   from_next_attempt_at, from_heuristic, from_heuristic_state,
                   to_vote, to_vote_reason, to_acknowledged, to_acknowledged_at, to_attempts, to_last_error,
                   to_next_attempt_at, to_heuristic, to_heuristic_state, row_version, owner_node, owner_epoch,
                   legs, more_parts
            FROM transactions
            """;

    /**
     * Rewrites what a write can change: the state, every bank's part and the owner, in one statement, and counts the
     * write in {@code row_version}. Guarded three ways, in SQL:
     * <ul>
     *   <li>by the version the change was worked out from: a row that is not that version is left alone (the writer
     *       then reads it again, see {@link WrittenRows});
     *   <li>by the owner that version had (the fencing token, {@link Owner}): a node that lost the transaction to a
     *       takeover writes nothing, whatever it remembers;
     *   <li>by the state: a decision is written once. A row becomes COMMITTING or COMMITTED only from PREPARING or the
     *       same decision's states, ABORTING or ABORTED likewise, PREPARING only from PREPARING; no statement can turn
     *       a recorded decision into the other.
     * </ul>
     * A redo of the journal runs these statements on the very rows they first ran on, so the guards hold there too.
     */
    static final String UPDATE =
            """
            UPDATE transactions SET state = ?, reason = ?, decided_at = ?, ended_at = ?,
                   from_vote = ?, from_vote_reason = ?, from_acknowledged = ?, from_acknowledged_at = ?,
                   from_attempts = ?, from_last_error = ?, from_next_attempt_at = ?, from_heuristic = ?,
                   from_heuristic_state = ?,
                   to_vote = ?, to_vote_reason = ?, to_acknowledged = ?, to_acknowledged_at = ?,
                   to_attempts = ?, to_last_error = ?, to_next_attempt_at = ?, to_heuristic = ?,
                   to_heuristic_state = ?, next_delivery_at = ?, row_version = ?, owner_node = ?, owner_epoch = ?,
                   more_parts = ?, more_waiting = ?, more_heuristic = ?
            WHERE tx_id = ? AND row_version = ? AND owner_node = ? AND owner_epoch = ? AND state IN (?, ?, ?)
            """;

    private static final int PART_COLUMNS = 9;

    private TransactionRows() {}

    /** The parameters of {@link #UPDATE} that write {@code after} over {@code before}, which is version {@code version}. */
    static Object[] updateOf(TransactionRecord after, TransactionRecord before, int version) {
        int at = 4 + 2 * PART_COLUMNS;
        Object[] values = new Object[at + 14];
        values[0] = after.state().name();
        values[1] = name(after.reason());
        values[2] = timestamp(after.decidedAt());
        values[3] = timestamp(after.endedAt());
        List<String> banks = after.transfer().banks();
        putPart(values, 4, part(after, banks.get(0)));
        putPart(values, 4 + PART_COLUMNS, banks.size() < 2 ? null : part(after, banks.get(1)));
        values[at] = timestamp(nextDelivery(after));
        values[at + 1] = version + 1;
        values[at + 2] = after.owner().node();
        values[at + 3] = after.owner().epoch();
        List<ParticipantEntry> more =
                banks.stream().skip(2).map(bank -> part(after, bank)).toList();
        values[at + 4] = MorePartsColumn.of(more);
        values[at + 5] =
                (int) more.stream().filter(part -> !part.acknowledged()).count();
        values[at + 6] = more.stream().anyMatch(part -> part.heuristic() != null);
        values[at + 7] = after.txId();
        values[at + 8] = version;
        values[at + 9] = before.owner().node();
        values[at + 10] = before.owner().epoch();
        List<TxState> from = statesBefore(after.state());
        for (int i = 0; i < 3; i++) {
            values[at + 11 + i] = from.get(Math.min(i, from.size() - 1)).name();
        }
        return values;
    }

    /** The states a row may be in when it is written as {@code state}: a decision, once written, stays. */
    static List<TxState> statesBefore(TxState state) {
        return state.decision()
                .map(decision -> List.of(TxState.PREPARING, TxState.delivering(decision), TxState.ended(decision)))
                .orElse(List.of(TxState.PREPARING));
    }

    /** Reads a row selected with {@link #SELECT}; its banks' parts ordered by bank id. */
    static TransactionRecord record(ResultSet rs, int row) throws SQLException {
        String legs = rs.getString(35);
        Transfer transfer = legs == null
                ? Transfer.between(
                        rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getBigDecimal(7))
                : LegsColumn.parse(legs);
        List<String> banks = transfer.banks();
        List<ParticipantEntry> parts = new ArrayList<>(banks.size());
        parts.add(part(rs, 14, banks.get(0)));
        if (banks.size() > 1) {
            parts.add(part(rs, 14 + PART_COLUMNS, banks.get(1)));
        }
        parts.addAll(MorePartsColumn.parse(rs.getString(36)));
        parts = byBank(parts);
        return new TransactionRecord(
                rs.getString(1),
                TxState.valueOf(rs.getString(2)),
                transfer,
                enumOrNull(AbortReason.class, rs.getString(8)),
                rs.getString(9),
                rs.getString(10),
                instant(rs.getTimestamp(11)),
                instant(rs.getTimestamp(12)),
                instant(rs.getTimestamp(13)),
                parts,
                new Owner(rs.getString(33), rs.getLong(34)));
    }

    /**
     * When the next delivery of the decision is due: the earliest of the waiting banks' next attempts (a waiting bank
     * without one is due since the decision); none while undecided, once ended, or when nobody waits.
     */
    static Instant nextDelivery(TransactionRecord record) {
        Instant next = null;
        for (ParticipantEntry part : TransactionChanges.awaitingDecision(record)) {
            Instant due = part.nextAttemptAt() == null ? record.decidedAt() : part.nextAttemptAt();
            next = next == null || due.isBefore(next) ? due : next;
        }
        return next;
    }

    /** The version of a row selected with {@link #SELECT}: how many times it was written over. */
    static int version(ResultSet rs) throws SQLException {
        return rs.getInt(32);
    }

    static List<ParticipantEntry> byBank(List<ParticipantEntry> parts) {
        return parts.stream()
                .sorted(Comparator.comparing(ParticipantEntry::bankId))
                .toList();
    }

    private static ParticipantEntry part(TransactionRecord record, String bankId) {
        return record.participants().stream()
                .filter(part -> part.bankId().equals(bankId))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(record.txId() + " has no part for " + bankId));
    }

    /** A bank's part into its nine columns from {@code at}; an unused part (one bank only) as "nothing to wait for". */
    private static void putPart(Object[] values, int at, ParticipantEntry part) {
        if (part == null) {
            values[at + 2] = true;
            values[at + 4] = 0;
            return;
        }
        values[at] = name(part.vote());
        values[at + 1] = name(part.voteReason());
        values[at + 2] = part.acknowledged();
        values[at + 3] = timestamp(part.acknowledgedAt());
        values[at + 4] = part.attempts();
        values[at + 5] = part.lastError();
        values[at + 6] = timestamp(part.nextAttemptAt());
        values[at + 7] = name(part.heuristic());
        values[at + 8] = name(part.heuristicState());
    }

    private static ParticipantEntry part(ResultSet rs, int at, String bankId) throws SQLException {
        return new ParticipantEntry(
                bankId,
                enumOrNull(Vote.class, rs.getString(at)),
                enumOrNull(AbortReason.class, rs.getString(at + 1)),
                rs.getBoolean(at + 2),
                instant(rs.getTimestamp(at + 3)),
                rs.getInt(at + 4),
                rs.getString(at + 5),
                instant(rs.getTimestamp(at + 6)),
                enumOrNull(HeuristicOutcome.class, rs.getString(at + 7)),
                enumOrNull(ParticipantState.class, rs.getString(at + 8)));
    }

    private static String name(Enum<?> value) {
        return value == null ? null : value.name();
    }

    private static <E extends Enum<E>> E enumOrNull(Class<E> type, String name) {
        return name == null ? null : Enum.valueOf(type, name);
    }

    static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
