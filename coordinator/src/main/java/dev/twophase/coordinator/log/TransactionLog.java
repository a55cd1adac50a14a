package dev.twophase.coordinator.log;

import dev.twophase.coordinator.transaction.Ballot;
import dev.twophase.coordinator.transaction.HeuristicOutcome;
import dev.twophase.coordinator.transaction.Transfer;
import dev.twophase.protocol.AbortReason;
import dev.twophase.protocol.Decision;
import dev.twophase.protocol.ParticipantState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The coordinator's write-ahead log. Every write method is durable when it returns: its record survives a
 * kill -9 of the process at any later instant. The one exception, {@link #recordAcknowledgementsLater}, says so.
 *
 * <p>In a cluster every node writes the same log. A write that moves a transaction (a decision, an acknowledgement, a
 * delivery's progress) is made only by its owner ({@link TransactionRecord#owner()}) and is conditional in SQL on that
 * owner still holding the row: anyone else's throws {@link NotOwner} and writes nothing.
 */
public interface TransactionLog {

    /**
     * Records a new transaction as PREPARING with one entry per bank, before any bank is asked to prepare, owned by
     * this node.
     *
     * @return the owner recorded: this node at its current epoch
     * @throws org.springframework.dao.DuplicateKeyException if {@code idempotencyKey} is already used
     */
    Owner begin(String txId, Transfer transfer, String idempotencyKey, String requestHash, Instant at);

    Optional<TransactionRecord> find(String txId);

    /**
     * Like {@link #find}, but only returns once what it read is durable. A plain read can see a write that is
     * committed but not yet written out (group commit makes it durable a moment later); use this when the answer is
     * told to someone who will act on it, such as a bank asking for the decision.
     */
    Optional<TransactionRecord> findDurable(String txId);

    Optional<TransactionRecord> findByIdempotencyKey(String idempotencyKey);

    /**
     * The decision: moves a PREPARING transaction to COMMITTING or ABORTING and records the ballots. Banks that need
     * no delivery (they voted NO) count as acknowledged; the others' first delivery is due at
     * {@code firstDeliveryDueAt}. If nobody needs the decision, the transaction ends in the same write.
     *
     * @return false, writing nothing, if the transaction is not PREPARING (already decided)
     */
    boolean logDecision(
            String txId,
            Decision decision,
            AbortReason reason,
            Map<String, Ballot> ballots,
            Instant at,
            Instant firstDeliveryDueAt);

    /**
     * One phase: the transaction's only bank decided {@code decision} (and applied it) by itself. Moves a PREPARING
     * transaction straight to COMMITTED or ABORTED, with the bank's ballot and its acknowledgement.
     *
     * @return false, writing nothing, if the transaction is not PREPARING
     */
    boolean logOnePhaseOutcome(
            String txId, String bankId, Decision decision, AbortReason reason, Ballot ballot, Instant at);

    /**
     * Records that {@code bankId} acknowledged the decision; when it is the last one, the transaction ends.
     * Acknowledging twice is harmless.
     */
    default void recordAcknowledgement(String txId, String bankId, Instant at) {
        recordAcknowledgements(txId, List.of(bankId), at);
    }

    /**
     * Records in one write that each of {@code bankIds} acknowledged the decision (phase 2 sends it to every bank at
     * once and logs their answers together); when nobody is left, the transaction ends. Acknowledging twice is
     * harmless.
     */
    void recordAcknowledgements(String txId, List<String> bankIds, Instant at);

    /**
     * {@link #recordAcknowledgements} without waiting for it: the one write of this log that is not durable when it
     * returns. It commits with the log's next group commit (or on its own soon after, when no other write comes); the
     * future says when it is durable, or why it is not. Losing it loses nothing: a decision whose acknowledgement is
     * not logged is sent again, and the bank answers a repeated decision as it did the first time. The future may
     * complete on the log's writer thread: what follows a failure must not write to the log on that thread.
     */
    default CompletableFuture<Void> recordAcknowledgementsLater(String txId, List<String> bankIds, Instant at) {
        try {
            recordAcknowledgements(txId, bankIds, at);
            return CompletableFuture.completedFuture(null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Records that {@code bankId} answered the decision with a heuristic outcome (an operator decided it there alone):
     * {@code bankState} is what the bank did. The bank counts as acknowledged (nothing resent can change its outcome),
     * flagged {@code outcome}; when it is the last one, the transaction ends.
     */
    void recordHeuristicOutcome(
            String txId, String bankId, ParticipantState bankState, HeuristicOutcome outcome, Instant at);

    /** Records a delivery that failed at {@code failedAt} (kept in the transaction's history) and when to try again. */
    void recordDeliveryFailure(
            String txId, String bankId, int attempts, String error, Instant failedAt, Instant nextAttemptAt);

    /** Every failed delivery of {@code txId}'s decision, oldest first. */
    List<DeliveryFailure> findDeliveryFailures(String txId);

    /** Makes {@code txId}'s unacknowledged deliveries due at {@code at} (an operator's "retry now"). @return how many */
    int makeDeliveriesDue(String txId, Instant at);

    /**
     * Unacknowledged decisions due at or before {@code now}, at most {@code limit}; each one returned is leased,
     * i.e. not due again until {@code leaseUntil}, so that two loops do not send it at once.
     */
    List<PendingDelivery> claimDueDeliveries(Instant now, Instant leaseUntil, int limit);

    /** Ids of transactions still collecting votes. */
    List<String> findUndecided();

    /**
     * Reconciliation: at most {@code limit} transactions whose ids are at least {@code lowestId}, below
     * {@code belowId} and above {@code afterId} ("" for from the start), in id order. Transfer ids sort by when the
     * transfer began (TransferIds), so this reads a window of time along the primary key.
     */
    List<TransactionRecord> findByIdRange(String lowestId, String belowId, String afterId, int limit);

    /** Ids of this node's transactions still collecting votes that began before {@code before}, oldest first. */
    List<String> findUndecidedSince(Instant before, int limit);

    /** Makes every unacknowledged decision of this node's transactions due at {@code at}. @return how many */
    int makeAllDeliveriesDue(Instant at);

    /**
     * The operator's abort of a transaction still collecting votes, which any node may write whoever owns it: the
     * decision is write-once, so if its owner decides first this changes nothing, and if this comes first the owner's
     * decision changes nothing and it reads this one. Every bank's delivery is due at once.
     *
     * @return false, writing nothing, if the transaction is not PREPARING (already decided)
     */
    boolean logOperatorAbort(String txId, Instant at);

    /** Unfinished transactions whose owner holds no lease (see {@code coordinator_nodes}), at most {@code limit}. */
    List<OwnedTransaction> findUnowned(int limit);

    /**
     * Moves to {@code takeover.by()}, in one durable write, each of {@code txIds} that is unfinished and still owned by
     * {@code takeover.from()} (another node may have taken some first), recording each owner change and the takeover.
     * Every later write of the former owner to these rows is refused (see {@link NotOwner}).
     *
     * @return the transactions taken, as they now are
     */
    List<TransactionRecord> takeOver(Takeover takeover, List<String> txIds);

    /** Every takeover that moved {@code txId}, oldest first. */
    List<OwnerChange> findOwnerChanges(String txId);

    /**
     * Retention: deletes, durably, at most {@code limit} transactions that ended before {@code endedBefore} and whose
     * ids sort below {@code idsBelow} (ids sort by creation time, so this bounds the scan to the oldest), with their
     * delivery-failure history and their idempotency keys. Never a transaction still undecided or in doubt (it has not
     * ended), nor one with a heuristic report (kept for the operators).
     *
     * @return how many transactions were deleted
     */
    int retireEnded(Instant endedBefore, String idsBelow, int limit);
}
