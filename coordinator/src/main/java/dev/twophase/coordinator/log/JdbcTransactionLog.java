package dev.twophase.coordinator.log;

import dev.twophase.coordinator.transaction.Ballot;
import dev.twophase.coordinator.transaction.HeuristicOutcome;
import dev.twophase.coordinator.transaction.Transfer;
import dev.twophase.coordinator.transaction.TxState;
import dev.twophase.protocol.AbortReason;
import dev.twophase.protocol.Decision;
import dev.twophase.protocol.ParticipantState;
import dev.twophase.store.GroupCommit;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@link TransactionLog} on the coordinator's H2 database (schema in db/migration); its reads are in {@link
 * JdbcTransactionReads}. Every write goes through
 * {@link GroupCommit}: it runs on the one writer thread, shares a database commit (and, in the power-failure-durable
 * mode, one fsync) with the writes that queued beside it, and returns once that commit is durable. Reads run on their
 * own pooled connections and see only committed writes.
 */
class JdbcTransactionLog implements TransactionLog {

    private static final String ACKNOWLEDGE_ONE = acknowledgeSql(1);
    private static final String ACKNOWLEDGE_TWO = acknowledgeSql(2);

    private final JdbcTemplate jdbc;
    private final GroupCommit writes;
    private final JdbcTransactionReads reads;

    JdbcTransactionLog(JdbcTemplate jdbc, GroupCommit writes) {
        this.jdbc = jdbc;
        this.writes = writes;
        this.reads = new JdbcTransactionReads(jdbc);
    }

    @Override
    public void begin(String txId, Transfer transfer, String idempotencyKey, String requestHash, Instant at) {
        writes.write(() -> {
            jdbc.update(
                    """
                    INSERT INTO transactions (tx_id, state, from_bank, from_account, to_bank, to_account, amount,
                                              idempotency_key, request_hash, created_at)
                    VALUES (?, 'PREPARING', ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                    txId,
                    transfer.fromBank(),
                    transfer.fromAccount(),
                    transfer.toBank(),
                    transfer.toAccount(),
                    transfer.amount(),
                    idempotencyKey,
                    requestHash,
                    Timestamp.from(at));
            for (String bank : transfer.banks()) {
                jdbc.update("INSERT INTO transaction_participants (tx_id, bank_id) VALUES (?, ?)", txId, bank);
            }
        });
    }

    @Override
    public Optional<TransactionRecord> find(String txId) {
        return reads.find(txId);
    }

    /** Read on the writer thread: it is released with the batch it ran in, i.e. once that batch is durable. */
    @Override
    public Optional<TransactionRecord> findDurable(String txId) {
        return writes.write(() -> find(txId));
    }

    @Override
    public Optional<TransactionRecord> findByIdempotencyKey(String idempotencyKey) {
        return reads.findByIdempotencyKey(idempotencyKey);
    }

    @Override
    public List<DeliveryFailure> findDeliveryFailures(String txId) {
        return reads.findDeliveryFailures(txId);
    }

    @Override
    public List<String> findUndecided() {
        return reads.findUndecided();
    }

    @Override
    public List<String> findUndecidedSince(Instant before, int limit) {
        return reads.findUndecidedSince(before, limit);
    }

    @Override
    public boolean logDecision(
            String txId,
            Decision decision,
            AbortReason reason,
            Map<String, Ballot> ballots,
            Instant at,
            Instant firstDeliveryDueAt) {
        TxState delivering = TxState.PREPARING.moveTo(TxState.delivering(decision));
        Boolean logged = writes.write(() -> {
            int moved = jdbc.update(
                    "UPDATE transactions SET state = ?, reason = ?, decided_at = ? WHERE tx_id = ? AND state = 'PREPARING'",
                    delivering.name(),
                    reason == null ? null : reason.name(),
                    Timestamp.from(at),
                    txId);
            if (moved == 0) {
                return false;
            }
            // One statement per bank: its vote, and either its first delivery's due time or, if it voted NO, that it
            // needs no message (under presumed abort a bank that voted NO has already aborted by itself).
            Timestamp decidedAt = Timestamp.from(at);
            Timestamp due = Timestamp.from(firstDeliveryDueAt);
            boolean someoneAcknowledged = false;
            for (Map.Entry<String, Ballot> entry : ballots.entrySet()) {
                Ballot ballot = entry.getValue();
                boolean needsNoMessage = !ballot.needsAbort();
                someoneAcknowledged |= needsNoMessage;
                jdbc.update(
                        """
                        UPDATE transaction_participants
                        SET vote = ?, vote_reason = ?, acknowledged = ?, acknowledged_at = ?, next_attempt_at = ?
                        WHERE tx_id = ? AND bank_id = ?
                        """,
                        ballot.vote() == null ? null : ballot.vote().name(),
                        ballot.reason() == null ? null : ballot.reason().name(),
                        needsNoMessage,
                        needsNoMessage ? decidedAt : null,
                        needsNoMessage ? null : due,
                        txId,
                        entry.getKey());
            }
            if (decision == Decision.ABORT) {
                // An abort can be decided before every bank answered (the first NO or timeout decides it): the banks
                // still voting may prepare yet, so they are told too. A commit always has every bank's YES.
                jdbc.update(
                        """
                        UPDATE transaction_participants SET next_attempt_at = ?
                        WHERE tx_id = ? AND NOT acknowledged AND next_attempt_at IS NULL
                        """,
                        due,
                        txId);
            }
            if (someoneAcknowledged) {
                endIfAllAcknowledged(txId, decision, at);
            }
            return true;
        });
        return Boolean.TRUE.equals(logged);
    }

    @Override
    public boolean logOnePhaseOutcome(
            String txId, String bankId, Decision decision, AbortReason reason, Ballot ballot, Instant at) {
        // Through the decision to the end in one write: the bank's answer was both the decision and its
        // acknowledgement, so the transaction never waits in COMMITTING / ABORTING.
        TxState ended = TxState.PREPARING.moveTo(TxState.delivering(decision)).moveTo(TxState.ended(decision));
        return writes.write(() -> {
            int moved = jdbc.update(
                    """
                    UPDATE transactions SET state = ?, reason = ?, decided_at = ?, ended_at = ?
                    WHERE tx_id = ? AND state = 'PREPARING'
                    """,
                    ended.name(),
                    reason == null ? null : reason.name(),
                    Timestamp.from(at),
                    Timestamp.from(at),
                    txId);
            if (moved == 0) {
                return false;
            }
            jdbc.update(
                    """
                    UPDATE transaction_participants SET vote = ?, vote_reason = ?, acknowledged = TRUE,
                                                        acknowledged_at = ?, next_attempt_at = NULL
                    WHERE tx_id = ? AND bank_id = ?
                    """,
                    ballot.vote() == null ? null : ballot.vote().name(),
                    ballot.reason() == null ? null : ballot.reason().name(),
                    Timestamp.from(at),
                    txId,
                    bankId);
            return true;
        });
    }

    @Override
    public void recordAcknowledgements(String txId, List<String> bankIds, Instant at) {
        acknowledge(txId, bankIds, at, null, null);
    }

    @Override
    public void recordHeuristicOutcome(
            String txId, String bankId, ParticipantState bankState, HeuristicOutcome outcome, Instant at) {
        acknowledge(txId, List.of(bankId), at, outcome, bankState);
    }

    /** Marks the banks acknowledged (flagged if one reported a heuristic outcome); ends the transaction after the last. */
    private void acknowledge(
            String txId,
            List<String> bankIds,
            Instant at,
            HeuristicOutcome heuristic,
            ParticipantState heuristicState) {
        if (bankIds.isEmpty()) {
            return;
        }
        Object[] arguments = new Object[4 + bankIds.size()];
        arguments[0] = Timestamp.from(at);
        arguments[1] = heuristic == null ? null : heuristic.name();
        arguments[2] = heuristicState == null ? null : heuristicState.name();
        arguments[3] = txId;
        for (int i = 0; i < bankIds.size(); i++) {
            arguments[4 + i] = bankIds.get(i);
        }
        writes.write(() -> {
            // No row lock: every write runs on the one group-commit writer, one database transaction per batch, so
            // two acknowledgements of one transaction run one after the other and the second sees the first.
            int acknowledged = jdbc.update(acknowledgeStatement(bankIds.size()), arguments);
            if (acknowledged > 0 && nobodyLeftToAcknowledge(txId)) {
                String state =
                        jdbc.queryForObject("SELECT state FROM transactions WHERE tx_id = ?", String.class, txId);
                TxState.valueOf(state).decision().ifPresent(decision -> end(txId, decision, at));
            }
        });
    }

    /** The acknowledgement of {@code banks} banks at once: one statement (a transfer has at most two banks). */
    private static String acknowledgeStatement(int banks) {
        return banks == 1 ? ACKNOWLEDGE_ONE : banks == 2 ? ACKNOWLEDGE_TWO : acknowledgeSql(banks);
    }

    private static String acknowledgeSql(int banks) {
        return """
                UPDATE transaction_participants SET acknowledged = TRUE, acknowledged_at = ?, next_attempt_at = NULL,
                                                    heuristic = ?, heuristic_state = ?
                WHERE tx_id = ? AND bank_id IN (%s) AND NOT acknowledged
                """
                .formatted(String.join(", ", Collections.nCopies(banks, "?")));
    }

    @Override
    public void recordDeliveryFailure(
            String txId, String bankId, int attempts, String error, Instant failedAt, Instant nextAttemptAt) {
        writes.write(() -> {
            int updated = jdbc.update(
                    """
                    UPDATE transaction_participants SET attempts = ?, last_error = ?, next_attempt_at = ?
                    WHERE tx_id = ? AND bank_id = ? AND NOT acknowledged
                    """,
                    attempts,
                    truncate(error),
                    Timestamp.from(nextAttemptAt),
                    txId,
                    bankId);
            if (updated == 1) {
                jdbc.update(
                        "INSERT INTO delivery_failures (tx_id, bank_id, attempt, failed_at, error) VALUES (?, ?, ?, ?, ?)",
                        txId,
                        bankId,
                        attempts,
                        Timestamp.from(failedAt),
                        truncate(error));
            }
        });
    }

    @Override
    public int makeDeliveriesDue(String txId, Instant at) {
        return writes.write(() -> jdbc.update(
                """
                UPDATE transaction_participants p SET next_attempt_at = ?
                WHERE p.tx_id = ? AND NOT p.acknowledged
                  AND EXISTS (SELECT 1 FROM transactions t
                              WHERE t.tx_id = p.tx_id AND t.state IN ('COMMITTING', 'ABORTING'))
                """,
                Timestamp.from(at),
                txId));
    }

    @Override
    // A decided, unacknowledged row always has a next attempt (the decision write sets it); NULL there means a torn
    // write in the store, and such a delivery is due rather than lost forever.
    public List<PendingDelivery> claimDueDeliveries(Instant now, Instant leaseUntil, int limit) {
        return writes.write(() -> {
            List<PendingDelivery> due = jdbc.query(
                    """
                    SELECT p.tx_id, p.bank_id, t.state, p.attempts
                    FROM transaction_participants p JOIN transactions t ON t.tx_id = p.tx_id
                    WHERE NOT p.acknowledged AND (p.next_attempt_at IS NULL OR p.next_attempt_at <= ?)
                      AND t.state IN ('COMMITTING', 'ABORTING')
                    ORDER BY p.next_attempt_at LIMIT ?
                    """,
                    (rs, n) -> new PendingDelivery(
                            rs.getString("tx_id"),
                            rs.getString("bank_id"),
                            TxState.valueOf(rs.getString("state")).decision().orElseThrow(),
                            rs.getInt("attempts")),
                    Timestamp.from(now),
                    limit);
            for (PendingDelivery delivery : due) {
                jdbc.update(
                        "UPDATE transaction_participants SET next_attempt_at = ? WHERE tx_id = ? AND bank_id = ?",
                        Timestamp.from(leaseUntil),
                        delivery.txId(),
                        delivery.bankId());
            }
            return due;
        });
    }

    @Override
    public int makeAllDeliveriesDue(Instant at) {
        // Correlated on the primary key, not through the state index: recovery must act on what the row says.
        return writes.write(() -> jdbc.update(
                """
                UPDATE transaction_participants p SET next_attempt_at = ?
                WHERE NOT p.acknowledged
                  AND EXISTS (SELECT 1 FROM transactions t
                              WHERE t.tx_id = p.tx_id AND t.state IN ('COMMITTING', 'ABORTING'))
                """,
                Timestamp.from(at)));
    }

    /** Ends the transaction if no bank is left to acknowledge its decision. */
    private void endIfAllAcknowledged(String txId, Decision decision, Instant at) {
        if (nobodyLeftToAcknowledge(txId)) {
            end(txId, decision, at);
        }
    }

    /**
     * Counted in its own statement: an UPDATE with the same test as a {@code NOT EXISTS} subquery did not see an
     * acknowledgement written earlier in the same batch (H2 2.4.240), and two acknowledgements in one batch left the
     * transaction unended (the log contract test caught it).
     */
    private boolean nobodyLeftToAcknowledge(String txId) {
        Integer waiting = jdbc.queryForObject(
                "SELECT COUNT(*) FROM transaction_participants WHERE tx_id = ? AND NOT acknowledged",
                Integer.class,
                txId);
        return waiting != null && waiting == 0;
    }

    private void end(String txId, Decision decision, Instant at) {
        TxState delivering = TxState.delivering(decision);
        TxState ended = delivering.moveTo(TxState.ended(decision));
        jdbc.update(
                "UPDATE transactions SET state = ?, ended_at = ? WHERE tx_id = ? AND state = ?",
                ended.name(),
                Timestamp.from(at),
                txId,
                delivering.name());
    }

    private static String truncate(String error) {
        return error == null || error.length() <= 500 ? error : error.substring(0, 500);
    }
}
