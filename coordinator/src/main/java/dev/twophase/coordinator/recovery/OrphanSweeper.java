package dev.twophase.coordinator.recovery;

import dev.twophase.coordinator.config.CoordinatorProperties;
import dev.twophase.coordinator.log.TransactionLog;
import dev.twophase.coordinator.transaction.TwoPhaseCommit;
import dev.twophase.protocol.AbortReason;
import dev.twophase.protocol.Decision;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * Aborts transactions left PREPARING by a thread that failed (an exception, not a crash: a crash is handled by
 * {@link CoordinatorRecovery}). Two checks keep in-flight work from being mistaken for an orphan: the transaction
 * must be older than the prepare timeout plus the transfer wait, and no thread of this process may still be
 * deciding it. Without this, a prepared bank would hear PENDING until the next restart.
 */
@Component
class OrphanSweeper {

    private static final Logger log = LoggerFactory.getLogger(OrphanSweeper.class);
    private static final int BATCH = 100;

    private final TransactionLog transactionLog;
    private final Predicate<String> deciding;
    private final Duration orphanAfter;
    private final Clock clock;

    OrphanSweeper(TransactionLog transactionLog, Predicate<String> deciding, Duration orphanAfter, Clock clock) {
        this.transactionLog = transactionLog;
        this.deciding = deciding;
        this.orphanAfter = orphanAfter;
        this.clock = clock;
    }

    @Autowired
    OrphanSweeper(
            TransactionLog transactionLog,
            TwoPhaseCommit twoPhaseCommit,
            CoordinatorProperties properties,
            Clock clock) {
        this(
                transactionLog,
                twoPhaseCommit::isDeciding,
                properties.prepareTimeout().plus(properties.transferWait()),
                clock);
    }

    @EventListener(ApplicationReadyEvent.class)
    void start(ApplicationReadyEvent ready) {
        TaskScheduler scheduler = ready.getApplicationContext().getBean(TaskScheduler.class);
        scheduler.scheduleWithFixedDelay(this::abortOrphans, orphanAfter.dividedBy(4));
    }

    void abortOrphans() {
        try {
            Instant now = clock.instant();
            for (String txId : transactionLog.findUndecidedSince(now.minus(orphanAfter), BATCH)) {
                if (!deciding.test(txId)
                        && transactionLog.logDecision(txId, Decision.ABORT, AbortReason.TIMEOUT, Map.of(), now, now)) {
                    log.warn("tx={} was left undecided by a failed thread; ABORT logged", txId);
                }
            }
        } catch (RuntimeException e) {
            log.error("orphan sweep failed", e);
        }
    }
}
