package dev.twophase.coordinator.recovery;

import dev.twophase.coordinator.config.CoordinatorProperties;
import dev.twophase.coordinator.log.TransactionLog;
import dev.twophase.coordinator.log.TransactionRecord;
import dev.twophase.coordinator.transaction.OnePhaseCommit;
import dev.twophase.coordinator.transaction.TransferMetrics;
import dev.twophase.coordinator.transaction.TwoPhaseCommit;
import dev.twophase.protocol.AbortReason;
import dev.twophase.protocol.Decision;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * Aborts transactions left PREPARING by a thread that failed (an exception, not a crash: a crash is handled by
 * {@link CoordinatorRecovery}), and resolves one-phase transactions whose outcome is unknown (a lost answer, or a
 * restart) by asking their bank. Two checks keep in-flight work from being mistaken for an orphan: the transaction
 * must be older than the prepare timeout plus the transfer wait, and no thread of this process may still be
 * deciding it. Without this, a prepared bank would hear PENDING until the next restart.
 */
@Component
class OrphanSweeper {

    private static final Logger log = LoggerFactory.getLogger(OrphanSweeper.class);
    private static final int BATCH = 100;

    private final TransactionLog transactionLog;
    private final Predicate<String> deciding;
    private final OnePhaseResolver onePhase;
    private final Duration orphanAfter;
    private final Clock clock;
    private final Instant startedAt;
    private final TransferMetrics metrics;

    /** Learns and records the outcome of a one-phase transaction from its bank; false if the bank did not answer. */
    @FunctionalInterface
    interface OnePhaseResolver {
        boolean resolve(String txId, String bank, AbortReason reasonIfAborted);
    }

    OrphanSweeper(
            TransactionLog transactionLog,
            Predicate<String> deciding,
            OnePhaseResolver onePhase,
            Duration orphanAfter,
            TransferMetrics metrics,
            Clock clock) {
        this.metrics = metrics;
        this.transactionLog = transactionLog;
        this.deciding = deciding;
        this.onePhase = onePhase;
        this.orphanAfter = orphanAfter;
        this.clock = clock;
        this.startedAt = clock.instant();
    }

    @Autowired
    OrphanSweeper(
            TransactionLog transactionLog,
            TwoPhaseCommit twoPhaseCommit,
            OnePhaseCommit onePhaseCommit,
            CoordinatorProperties properties,
            TransferMetrics metrics,
            Clock clock) {
        this(
                transactionLog,
                twoPhaseCommit::isDeciding,
                (txId, bank, reason) ->
                        onePhaseCommit.resolve(txId, bank, reason).isPresent(),
                properties.prepareTimeout().plus(properties.transferWait()),
                metrics,
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
            // A bank that did not answer one resolve is not asked again in this pass: each further call would wait
            // out its own timeout on the scheduler thread.
            Set<String> silentBanks = new HashSet<>();
            for (String txId : transactionLog.findUndecidedSince(now.minus(orphanAfter), BATCH)) {
                if (deciding.test(txId)) {
                    continue;
                }
                Optional<TransactionRecord> record = transactionLog.find(txId);
                if (record.isPresent() && record.get().transfer().isOnePhase()) {
                    // One phase: the bank may have committed; only it can say (see OnePhaseCommit).
                    String bank = record.get().transfer().banks().get(0);
                    AbortReason reason = record.get().createdAt().isBefore(startedAt)
                            ? AbortReason.COORDINATOR_RESTARTED
                            : AbortReason.TIMEOUT;
                    if (!silentBanks.contains(bank) && !onePhase.resolve(txId, bank, reason)) {
                        silentBanks.add(bank);
                    }
                } else if (transactionLog.logDecision(txId, Decision.ABORT, AbortReason.TIMEOUT, Map.of(), now, now)) {
                    log.warn("tx={} was left undecided by a failed thread; ABORT logged", txId);
                    metrics.decided(Decision.ABORT, AbortReason.TIMEOUT);
                }
            }
        } catch (DataAccessResourceFailureException storeDown) {
            // The log's database cannot be reached (a PostgreSQL restart): one line, not a stack trace per tick.
            log.warn(
                    "orphan sweep skipped, the log cannot be reached: {}",
                    storeDown.getMostSpecificCause().toString());
        } catch (RuntimeException e) {
            log.error("orphan sweep failed", e);
        }
    }
}
