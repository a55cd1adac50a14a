package dev.twophase.coordinator.log;

import dev.twophase.coordinator.transaction.Ballot;
import dev.twophase.coordinator.transaction.HeuristicOutcome;
import dev.twophase.coordinator.transaction.Transfer;
import dev.twophase.fault.WriteFaults;
import dev.twophase.protocol.AbortReason;
import dev.twophase.protocol.Decision;
import dev.twophase.protocol.ParticipantState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** A {@link TransactionLog} whose writes are slowed or fail as configured, before they reach the real log. */
final class FaultInjectingTransactionLog implements TransactionLog {

    /** The writes that can be made to fail or slow down. */
    enum Write {
        BEGIN,
        DECISION,
        ACKNOWLEDGEMENT
    }

    private final TransactionLog log;
    private final WriteFaults<Write> faults;

    FaultInjectingTransactionLog(TransactionLog log, WriteFaults<Write> faults) {
        this.log = log;
        this.faults = faults;
    }

    @Override
    public Owner begin(String txId, Transfer transfer, String idempotencyKey, String requestHash, Instant at) {
        faults.beforeWrite(Write.BEGIN, txId);
        return log.begin(txId, transfer, idempotencyKey, requestHash, at);
    }

    @Override
    public boolean logDecision(
            String txId,
            Decision decision,
            AbortReason reason,
            Map<String, Ballot> ballots,
            Instant at,
            Instant firstDeliveryDueAt) {
        faults.beforeWrite(Write.DECISION, txId);
        return log.logDecision(txId, decision, reason, ballots, at, firstDeliveryDueAt);
    }

    @Override
    public boolean logOnePhaseOutcome(
            String txId, String bankId, Decision decision, AbortReason reason, Ballot ballot, Instant at) {
        faults.beforeWrite(Write.DECISION, txId);
        return log.logOnePhaseOutcome(txId, bankId, decision, reason, ballot, at);
    }

    @Override
    public void recordAcknowledgements(String txId, List<String> bankIds, Instant at) {
        faults.beforeWrite(Write.ACKNOWLEDGEMENT, txId);
        log.recordAcknowledgements(txId, bankIds, at);
    }

    @Override
    public CompletableFuture<Void> recordAcknowledgementsLater(String txId, List<String> bankIds, Instant at) {
        try {
            faults.beforeWrite(Write.ACKNOWLEDGEMENT, txId);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return log.recordAcknowledgementsLater(txId, bankIds, at);
    }

    @Override
    public Optional<TransactionRecord> find(String txId) {
        return log.find(txId);
    }

    @Override
    public Optional<TransactionRecord> findDurable(String txId) {
        return log.findDurable(txId);
    }

    @Override
    public Optional<TransactionRecord> findByIdempotencyKey(String idempotencyKey) {
        return log.findByIdempotencyKey(idempotencyKey);
    }

    @Override
    public void recordHeuristicOutcome(
            String txId, String bankId, ParticipantState bankState, HeuristicOutcome outcome, Instant at) {
        faults.beforeWrite(Write.ACKNOWLEDGEMENT, txId);
        log.recordHeuristicOutcome(txId, bankId, bankState, outcome, at);
    }

    @Override
    public List<DeliveryFailure> findDeliveryFailures(String txId) {
        return log.findDeliveryFailures(txId);
    }

    @Override
    public int makeDeliveriesDue(String txId, Instant at) {
        return log.makeDeliveriesDue(txId, at);
    }

    @Override
    public void recordDeliveryFailure(
            String txId, String bankId, int attempts, String error, Instant failedAt, Instant nextAttemptAt) {
        log.recordDeliveryFailure(txId, bankId, attempts, error, failedAt, nextAttemptAt);
    }

    @Override
    public List<PendingDelivery> claimDueDeliveries(Instant now, Instant leaseUntil, int limit) {
        return log.claimDueDeliveries(now, leaseUntil, limit);
    }

    @Override
    public List<String> findUndecided() {
        return log.findUndecided();
    }

    @Override
    public List<TransactionRecord> findByIdRange(String lowestId, String belowId, String afterId, int limit) {
        return log.findByIdRange(lowestId, belowId, afterId, limit);
    }

    @Override
    public List<String> findUndecidedSince(Instant before, int limit) {
        return log.findUndecidedSince(before, limit);
    }

    @Override
    public int makeAllDeliveriesDue(Instant at) {
        return log.makeAllDeliveriesDue(at);
    }

    @Override
    public int retireEnded(Instant endedBefore, String idsBelow, int limit) {
        return log.retireEnded(endedBefore, idsBelow, limit);
    }

    @Override
    public boolean logOperatorAbort(String txId, Instant at) {
        faults.beforeWrite(Write.DECISION, txId);
        return log.logOperatorAbort(txId, at);
    }

    @Override
    public List<OwnedTransaction> findUnowned(int limit) {
        return log.findUnowned(limit);
    }

    @Override
    public List<TransactionRecord> takeOver(Takeover takeover, List<String> txIds) {
        return log.takeOver(takeover, txIds);
    }

    @Override
    public List<OwnerChange> findOwnerChanges(String txId) {
        return log.findOwnerChanges(txId);
    }
}
