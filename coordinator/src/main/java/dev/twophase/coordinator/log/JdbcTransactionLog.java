package dev.twophase.coordinator.log;

import dev.twophase.coordinator.transaction.Ballot;
import dev.twophase.coordinator.transaction.HeuristicOutcome;
import dev.twophase.coordinator.transaction.Leg;
import dev.twophase.coordinator.transaction.Transfer;
import dev.twophase.coordinator.transaction.TxState;
import dev.twophase.protocol.AbortReason;
import dev.twophase.protocol.Decision;
import dev.twophase.protocol.ParticipantState;
import dev.twophase.store.GroupCommit;
import dev.twophase.store.jdbc.InList;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@link TransactionLog} on the coordinator's H2 database (schema in db/migration): one row per transaction, every
 * bank's part in it ({@link TransactionRows}); its reads are in {@link JdbcTransactionReads}. Every write goes through
 * {@link GroupCommit}: it runs on the one writer thread, shares a database commit (and, in the power-failure-durable
 * mode, one fsync) with the writes that queued beside it, and returns once that commit is durable. A write takes the
 * row as this writer last wrote it ({@link WrittenRows}; read from the database if not remembered), works out the new
 * one ({@link TransactionChanges}) and writes it back in one statement guarded by the row's version. Reads run on their
 * own pooled connections and see only committed writes.
 */
class JdbcTransactionLog implements TransactionLog {

    /**
     * Rows the writer remembers: several times the transfers in flight at once (2,048 by default, README "Limits"); a
     * row forgotten sooner is only read again. At most a few megabytes.
     */
    private static final int REMEMBERED_ROWS = 10_000;

    /** Reads and writes of one row before giving up, when other nodes keep writing it between the two. */
    private static final int CONCURRENT_WRITE_ATTEMPTS = 5;

    private static final List<TxState> DELIVERING = List.of(TxState.COMMITTING, TxState.ABORTING);

    private final JdbcTemplate jdbc;
    private final GroupCommit writes;
    private final JdbcTransactionReads reads;
    private final WrittenRows written = new WrittenRows(REMEMBERED_ROWS);
    /** This node's fencing token now (it changes when the node joins the cluster again). */
    private final Supplier<Owner> self;

    /** Who a write must find owning the row. */
    private enum Fence {
        /** This node: a move of the protocol (a decision, an acknowledgement, a delivery's progress). */
        SELF,
        /** Whoever owned it when it was read: an operator's action or a takeover, which any node may make. */
        AS_READ
    }

    JdbcTransactionLog(JdbcTemplate jdbc, GroupCommit writes, Supplier<Owner> self) {
        this.jdbc = jdbc;
        this.writes = writes;
        this.reads = new JdbcTransactionReads(jdbc);
        this.self = self;
    }

    @Override
    public Owner begin(String txId, Transfer transfer, String idempotencyKey, String requestHash, Instant at) {
        Owner owner = self.get();
        List<String> banks = transfer.banks();
        List<Leg> legs = transfer.legs();
        // A transfer's from/to columns say it all; any other shape keeps its legs in their own column, and its first
        // two banks and legs in these (see V7).
        String fromBank = banks.get(0);
        String toBank = banks.size() > 1 ? banks.get(1) : fromBank;
        String moreParts = MorePartsColumn.of(
                banks.stream().skip(2).map(JdbcTransactionLog::unheard).toList());
        writes.write(() -> {
            jdbc.update(
                    """
                    INSERT INTO transactions (tx_id, state, from_bank, from_account, to_bank, to_account, amount,
                                              idempotency_key, request_hash, created_at, to_acknowledged,
                                              owner_node, owner_epoch, legs, more_parts, more_waiting)
                    VALUES (?, 'PREPARING', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                    txId,
                    fromBank,
                    legs.get(0).account(),
                    toBank,
                    legs.get(1).account(),
                    transfer.debited(),
                    idempotencyKey,
                    requestHash,
                    Timestamp.from(at),
                    // One bank: the to_* part is unused, and nothing waits on it.
                    banks.size() == 1,
                    owner.node(),
                    owner.epoch(),
                    LegsColumn.of(transfer),
                    moreParts,
                    Math.max(0, banks.size() - 2));
            written.wrote(begun(txId, transfer, idempotencyKey, requestHash, at, owner), 0);
        });
        return owner;
    }

    /** The row {@link #begin} inserts, as {@link TransactionRows#record} would read it. */
    private static TransactionRecord begun(
            String txId, Transfer transfer, String idempotencyKey, String requestHash, Instant at, Owner owner) {
        List<ParticipantEntry> parts = transfer.banks().stream()
                .sorted()
                .map(JdbcTransactionLog::unheard)
                .toList();
        return new TransactionRecord(
                txId, TxState.PREPARING, transfer, null, idempotencyKey, requestHash, at, null, null, parts, owner);
    }

    /** A bank's part before it has heard of the transaction. */
    private static ParticipantEntry unheard(String bank) {
        return new ParticipantEntry(bank, null, null, false, null, 0, null, null, null, null);
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
    public List<TransactionRecord> findByIdRange(String lowestId, String belowId, String afterId, int limit) {
        return reads.findByIdRange(lowestId, belowId, afterId, limit);
    }

    @Override
    public List<String> findUndecidedSince(Instant before, int limit) {
        return reads.findUndecidedSince(before, limit, self.get());
    }

    @Override
    public List<OwnedTransaction> findUnowned(int limit) {
        return reads.findUnowned(limit);
    }

    @Override
    public List<TransactionRecord> takeOver(Takeover takeover, List<String> txIds) {
        return writes.write(() -> {
            List<TransactionRecord> taken = new ArrayList<>();
            for (String txId : txIds) {
                rewrite(
                                txId,
                                record -> record.owner().equals(takeover.from())
                                                && !record.state().isEnded()
                                        ? record.ownedBy(takeover.by())
                                        : record,
                                Fence.AS_READ)
                        .filter(before -> before.owner().equals(takeover.from())
                                && !before.state().isEnded())
                        .ifPresent(before -> taken.add(before.ownedBy(takeover.by())));
            }
            for (TransactionRecord record : taken) {
                jdbc.update(
                        """
                        INSERT INTO owner_changes (tx_id, takeover_id, from_node, from_epoch, to_node, to_epoch, changed_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """,
                        record.txId(),
                        takeover.id(),
                        takeover.from().node(),
                        takeover.from().epoch(),
                        takeover.by().node(),
                        takeover.by().epoch(),
                        Timestamp.from(takeover.at()));
            }
            if (!taken.isEmpty()) {
                jdbc.update(
                        """
                        INSERT INTO takeovers (id, node_id, epoch, last_renewed_at, by_node, by_epoch, taken_at,
                                               transactions)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                        takeover.id(),
                        takeover.from().node(),
                        takeover.from().epoch(),
                        TransactionRows.timestamp(takeover.lastRenewedAt()),
                        takeover.by().node(),
                        takeover.by().epoch(),
                        Timestamp.from(takeover.at()),
                        taken.size());
            }
            return taken;
        });
    }

    @Override
    public List<OwnerChange> findOwnerChanges(String txId) {
        return reads.findOwnerChanges(txId);
    }

    @Override
    public boolean logDecision(
            String txId,
            Decision decision,
            AbortReason reason,
            Map<String, Ballot> ballots,
            Instant at,
            Instant firstDeliveryDueAt) {
        return changeIfPreparing(
                txId,
                record -> TransactionChanges.decided(record, decision, reason, ballots, at, firstDeliveryDueAt),
                Fence.SELF);
    }

    @Override
    public boolean logOperatorAbort(String txId, Instant at) {
        return changeIfPreparing(
                txId,
                record -> TransactionChanges.decided(
                        record, Decision.ABORT, AbortReason.OPERATOR_ABORTED, Map.of(), at, at),
                Fence.AS_READ);
    }

    @Override
    public boolean logOnePhaseOutcome(
            String txId, String bankId, Decision decision, AbortReason reason, Ballot ballot, Instant at) {
        // Through the decision to the end in one write: the bank's answer was both the decision and its
        // acknowledgement, so the transaction never waits in COMMITTING / ABORTING.
        return changeIfPreparing(
                txId,
                record -> TransactionChanges.decidedInOnePhase(record, bankId, decision, reason, ballot, at),
                Fence.SELF);
    }

    @Override
    public void recordAcknowledgements(String txId, List<String> bankIds, Instant at) {
        writes.write(() ->
                rewrite(txId, record -> TransactionChanges.acknowledged(record, bankIds, at, null, null), Fence.SELF));
    }

    /** Runs in whichever batch the writer commits next; see {@link GroupCommit#writeLater}. */
    @Override
    public CompletableFuture<Void> recordAcknowledgementsLater(String txId, List<String> bankIds, Instant at) {
        return writes.writeLater(() ->
                rewrite(txId, record -> TransactionChanges.acknowledged(record, bankIds, at, null, null), Fence.SELF));
    }

    @Override
    public void recordHeuristicOutcome(
            String txId, String bankId, ParticipantState bankState, HeuristicOutcome outcome, Instant at) {
        writes.write(() -> rewrite(
                txId,
                record -> TransactionChanges.acknowledged(record, List.of(bankId), at, outcome, bankState),
                Fence.SELF));
    }

    @Override
    public void recordDeliveryFailure(
            String txId, String bankId, int attempts, String error, Instant failedAt, Instant nextAttemptAt) {
        String kept = truncate(error);
        writes.write(() -> {
            Optional<TransactionRecord> before = rewrite(
                    txId,
                    record -> waitsFor(record, bankId)
                            ? TransactionChanges.deliveryFailed(record, bankId, attempts, kept, nextAttemptAt)
                            : record,
                    Fence.SELF);
            if (before.filter(record -> waitsFor(record, bankId)).isPresent()) {
                jdbc.update(
                        "INSERT INTO delivery_failures (tx_id, bank_id, attempt, failed_at, error) VALUES (?, ?, ?, ?, ?)",
                        txId,
                        bankId,
                        attempts,
                        Timestamp.from(failedAt),
                        kept);
            }
        });
    }

    @Override
    public int makeDeliveriesDue(String txId, Instant at) {
        return writes.write(() -> makeDue(txId, at, Fence.AS_READ));
    }

    @Override
    public List<PendingDelivery> claimDueDeliveries(Instant now, Instant leaseUntil, int limit) {
        Owner owner = self.get();
        return writes.write(() -> {
            List<TransactionRecord> due = new ArrayList<>();
            for (TxState state : DELIVERING) {
                due.addAll(reads.findDeliveriesDue(state, now, limit, owner));
            }
            due.sort(Comparator.comparing(TransactionRows::nextDelivery));
            List<PendingDelivery> claimed = new ArrayList<>();
            for (TransactionRecord candidate : due) {
                int room = limit - claimed.size();
                if (room <= 0) {
                    break;
                }
                rewrite(candidate.txId(), record -> leased(record, now, leaseUntil, room), Fence.SELF)
                        .ifPresent(before -> claimed.addAll(dueParts(before, now, room)));
            }
            return claimed;
        });
    }

    @Override
    public int makeAllDeliveriesDue(Instant at) {
        return writes.write(() -> {
            int due = 0;
            for (TransactionRecord record : reads.findDelivering(self.get())) {
                due += makeDue(record.txId(), at, Fence.SELF);
            }
            return due;
        });
    }

    /** On the writer: every bank still waiting for the decision is due at {@code at}. @return how many */
    private int makeDue(String txId, Instant at, Fence fence) {
        return rewrite(
                        txId,
                        record -> {
                            TransactionRecord due = record;
                            for (ParticipantEntry part : TransactionChanges.awaitingDecision(record)) {
                                due = TransactionChanges.dueAt(due, part.bankId(), at);
                            }
                            return due;
                        },
                        fence)
                .map(before -> TransactionChanges.awaitingDecision(before).size())
                .orElse(0);
    }

    /** Up to {@code room} of the record's deliveries that are due at {@code now}, as claimed. */
    private static List<PendingDelivery> dueParts(TransactionRecord record, Instant now, int room) {
        Decision decision = record.state().decision().orElse(null);
        return TransactionChanges.awaitingDecision(record).stream()
                // A waiting bank without a next attempt is due: better sent again than lost for ever.
                .filter(part ->
                        part.nextAttemptAt() == null || !part.nextAttemptAt().isAfter(now))
                .limit(room)
                .map(part -> new PendingDelivery(record.txId(), part.bankId(), decision, part.attempts()))
                .toList();
    }

    /** The record with its due deliveries (at most {@code room}) leased until {@code leaseUntil}. */
    private static TransactionRecord leased(TransactionRecord record, Instant now, Instant leaseUntil, int room) {
        TransactionRecord leased = record;
        for (PendingDelivery delivery : dueParts(record, now, room)) {
            leased = TransactionChanges.dueAt(leased, delivery.bankId(), leaseUntil);
        }
        return leased;
    }

    private static boolean waitsFor(TransactionRecord record, String bankId) {
        return record.participants().stream().anyMatch(part -> part.bankId().equals(bankId) && !part.acknowledged());
    }

    /** Changes a PREPARING transaction. @return false, writing nothing, if it is not PREPARING (already decided). */
    private boolean changeIfPreparing(String txId, UnaryOperator<TransactionRecord> change, Fence fence) {
        return writes.write(() -> rewrite(
                        txId, record -> record.state() == TxState.PREPARING ? change.apply(record) : record, fence)
                .map(before -> before.state() == TxState.PREPARING)
                .orElse(false));
    }

    /**
     * On the writer: writes {@code change} of the transaction's row over it, if that changes anything. The row is the
     * one this writer remembers writing last ({@link WrittenRows}), or else read; if the database no longer holds that
     * version (another node wrote it: an operator's action, a takeover), it is read and the change worked out again.
     *
     * @return the row the change was worked out from; empty if the log has no such transaction
     * @throws NotOwner if {@code fence} is {@link Fence#SELF} and another node, or this node under an earlier epoch,
     *     owns the row
     */
    private Optional<TransactionRecord> rewrite(String txId, UnaryOperator<TransactionRecord> change, Fence fence) {
        WrittenRows.Written remembered = written.get(txId);
        Owner owner = self.get();
        if (remembered != null
                && (fence == Fence.AS_READ || remembered.record().owner().equals(owner))
                && tryRewrite(remembered, change, false)) {
            return Optional.of(remembered.record());
        }
        written.forget(txId);
        for (int attempt = 1; ; attempt++) {
            Optional<WrittenRows.Written> current = reads.findForWrite(txId);
            if (current.isEmpty()) {
                return Optional.empty();
            }
            Owner holder = current.get().record().owner();
            if (fence == Fence.SELF && !holder.equals(owner)) {
                throw new NotOwner(txId, holder, owner);
            }
            if (tryRewrite(current.get(), change, true)) {
                return Optional.of(current.get().record());
            }
            if (attempt == CONCURRENT_WRITE_ATTEMPTS) {
                // Rows are written by their owner; other nodes only for an operator or a takeover, so this is rare.
                throw new IllegalStateException(txId + " changed under the log writer " + attempt + " times in a row");
            }
        }
    }

    /**
     * Writes the change over {@code before} if the row is still that version (and so still has the owner and state it
     * had). A change that changes nothing is trusted only on a row just read: on a remembered row no guarded write
     * checks it, and a remembered row can be ahead of the database (a batch that failed after its write), e.g.
     * remembered COMMITTING while the database, whose decision write failed, still says PREPARING and the abort that
     * follows must be written.
     *
     * @return false if the caller must read the row and try again
     */
    private boolean tryRewrite(WrittenRows.Written before, UnaryOperator<TransactionRecord> change, boolean justRead) {
        TransactionRecord after = change.apply(before.record());
        if (after.equals(before.record())) {
            return justRead;
        }
        if (jdbc.update(TransactionRows.UPDATE, TransactionRows.updateOf(after, before.record(), before.version()))
                != 1) {
            return false;
        }
        written.wrote(after, before.version() + 1);
        return true;
    }

    private static String truncate(String error) {
        return error == null || error.length() <= 500 ? error : error.substring(0, 500);
    }

    @Override
    public int retireEnded(Instant endedBefore, String idsBelow, int limit) {
        return writes.write(() -> {
            // A range of the primary key from its start, the oldest first, stopping after the limit. No condition on
            // the state: the database would then read the state index instead, i.e. every ended transaction there is
            // (H2 does). ended_at is set only when a transaction ends; the state is checked here again all the same.
            List<String> ids = jdbc
                    .query(
                            """
                            SELECT tx_id, state FROM transactions
                            WHERE tx_id < ? AND ended_at < ? AND from_heuristic IS NULL AND to_heuristic IS NULL
                              AND NOT more_heuristic
                            ORDER BY tx_id LIMIT ?
                            """,
                            (rs, n) -> TxState.valueOf(rs.getString(2)).isEnded() ? rs.getString(1) : null,
                            idsBelow,
                            Timestamp.from(endedBefore),
                            limit)
                    .stream()
                    .filter(Objects::nonNull)
                    .toList();
            int retired = InList.deleteTransactions(jdbc, ids, "delivery_failures", "owner_changes", "transactions");
            // A takeover's record goes once it is finished and as old: its transactions ended by then.
            jdbc.update("DELETE FROM takeovers WHERE finished_at < ?", Timestamp.from(endedBefore));
            return retired;
        });
    }
}
