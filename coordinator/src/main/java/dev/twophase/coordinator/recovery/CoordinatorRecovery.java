package dev.twophase.coordinator.recovery;

import dev.twophase.coordinator.log.TransactionLog;
import dev.twophase.coordinator.transaction.CoordinatorCrashPoints;
import dev.twophase.fault.CrashPoints;
import dev.twophase.protocol.AbortReason;
import dev.twophase.protocol.Decision;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
    private final Clock clock;

    CoordinatorRecovery(TransactionLog transactionLog, CrashPoints crashPoints, Clock clock) {
        this.transactionLog = transactionLog;
        this.crashPoints = crashPoints;
        this.clock = clock;
    }

    @Override
    public void afterSingletonsInstantiated() {
        Instant now = clock.instant();
        List<String> undecided = transactionLog.findUndecided();
        for (String txId : undecided) {
            // No ballots are known (they were never logged): every bank gets the abort, in case it prepared.
            transactionLog.logDecision(txId, Decision.ABORT, AbortReason.COORDINATOR_RESTARTED, Map.of(), now, now);
            log.info("tx={} recovery: undecided at restart, ABORT logged", txId);
            crashPoints.reach(CoordinatorCrashPoints.DURING_RECOVERY, txId);
        }
        int redeliveries = transactionLog.makeAllDeliveriesDue(now);
        log.info(
                "recovery: log read; {} undecided transaction(s) aborted, {} decision(s) to redeliver",
                undecided.size(),
                redeliveries);
    }
}
