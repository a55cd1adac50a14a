package dev.twophase.coordinator.recovery;

import dev.twophase.coordinator.log.TransactionLog;
import dev.twophase.coordinator.log.TransactionRecord;
import dev.twophase.coordinator.transaction.CoordinatorCrashPoints;
import dev.twophase.coordinator.transaction.TransferMetrics;
import dev.twophase.coordinator.transaction.TxState;
import dev.twophase.fault.CrashPoints;
import dev.twophase.protocol.AbortReason;
import dev.twophase.protocol.Decision;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/**
 * Restart: the coordinator reads its own log before it takes work. It runs before the web server opens, so no new
 * transaction can exist yet and every PREPARING one belongs to the previous run: nobody can be waiting for its
 * votes, so it is aborted (presumed abort). Every decision not yet acknowledged becomes due for redelivery at once.
 */
@Component
class CoordinatorRecovery implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(CoordinatorRecovery.class);

    private final TransactionLog transactionLog;
    private final CrashPoints crashPoints;
    private final TransferMetrics metrics;
    private final Clock clock;

    CoordinatorRecovery(TransactionLog transactionLog, CrashPoints crashPoints, TransferMetrics metrics, Clock clock) {
        this.metrics = metrics;
        this.transactionLog = transactionLog;
        this.crashPoints = crashPoints;
        this.clock = clock;
    }

    @Override
    public void afterSingletonsInstantiated() {
        Instant now = clock.instant();
        List<String> undecided = transactionLog.findUndecided();
        int onePhaseLeft = 0;
        for (String txId : undecided) {
            // Read the row itself, not only the state index: an H2 file damaged by a crash has been seen to answer
            // the two differently (src-docs/durability.md, "Known issue"). Never abort what the row says is decided.
            Optional<TransactionRecord> record = transactionLog.find(txId);
            TxState state = record.map(TransactionRecord::state).orElse(null);
            if (state != TxState.PREPARING) {
                log.error(
                        "tx={} recovery: storage inconsistency: the state index says PREPARING, the row says {}; "
                                + "left as the row says",
                        txId,
                        state);
                continue;
            }
            if (record.get().transfer().isOnePhase()) {
                // One phase: the bank decides, and may have committed. The OrphanSweeper asks it (OnePhaseCommit).
                log.info("tx={} recovery: one-phase outcome unknown at restart; its bank will be asked", txId);
                onePhaseLeft++;
                continue;
            }
            // No ballots are known (they were never logged): every bank gets the abort, in case it prepared.
            if (transactionLog.logDecision(
                    txId, Decision.ABORT, AbortReason.COORDINATOR_RESTARTED, Map.of(), now, now)) {
                log.info("tx={} recovery: undecided at restart, ABORT logged", txId);
                metrics.decided(Decision.ABORT, AbortReason.COORDINATOR_RESTARTED);
            } else {
                log.error(
                        "tx={} recovery: undecided at restart but the ABORT write changed nothing; the row now says {}",
                        txId,
                        transactionLog.find(txId).map(TransactionRecord::state).orElse(null));
            }
            crashPoints.reach(CoordinatorCrashPoints.DURING_RECOVERY, txId);
        }
        int redeliveries = transactionLog.makeAllDeliveriesDue(now);
        log.info(
                "recovery: log read; {} undecided transaction(s) aborted, {} one-phase to resolve, {} decision(s) to "
                        + "redeliver",
                undecided.size() - onePhaseLeft,
                onePhaseLeft,
                redeliveries);
    }
}
