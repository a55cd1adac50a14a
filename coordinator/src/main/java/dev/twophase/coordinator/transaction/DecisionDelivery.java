package dev.twophase.coordinator.transaction;

import dev.twophase.coordinator.config.CoordinatorProperties;
import dev.twophase.coordinator.log.PendingDelivery;
import dev.twophase.coordinator.log.TransactionLog;
import dev.twophase.coordinator.participant.ParticipantClient;
import dev.twophase.fault.CrashPoints;
import dev.twophase.protocol.Decision;
import dev.twophase.protocol.DecisionAck;
import dev.twophase.retry.Backoff;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Phase 2: sends a logged decision to each bank that has not acknowledged it, and records the acknowledgement.
 * A failed delivery is scheduled again with capped exponential backoff; the redelivery loop picks it up.
 */
@Component
public class DecisionDelivery {

    private static final Logger log = LoggerFactory.getLogger(DecisionDelivery.class);

    private final TransactionLog transactionLog;
    private final ParticipantClient participants;
    private final CrashPoints crashPoints;
    private final ExecutorService executor;
    private final Backoff backoff;
    private final Duration lease;
    private final TransferMetrics metrics;
    private final Clock clock;

    DecisionDelivery(
            TransactionLog transactionLog,
            ParticipantClient participants,
            CrashPoints crashPoints,
            ExecutorService protocolExecutor,
            CoordinatorProperties properties,
            TransferMetrics metrics,
            Clock clock) {
        this.metrics = metrics;
        this.transactionLog = transactionLog;
        this.participants = participants;
        this.crashPoints = crashPoints;
        this.executor = protocolExecutor;
        this.backoff = new Backoff(
                properties.redelivery().initialBackoff(),
                properties.redelivery().maxBackoff());
        // Long enough for one delivery with its immediate retries, so the loop does not send the same one twice.
        this.lease = properties.decisionTimeout().multipliedBy(4);
        this.clock = clock;
    }

    /** How long a delivery in progress is kept from the redelivery loop. */
    public Duration lease() {
        return lease;
    }

    /**
     * Sends a just-logged decision to each of {@code banks}, in parallel. The caller passes the banks because it
     * knows them (no need to read back what it has just written); later attempts come from the log.
     */
    public void deliverAll(String txId, Decision decision, List<String> banks) {
        for (String bank : banks) {
            PendingDelivery delivery = new PendingDelivery(txId, bank, decision, 0);
            executor.execute(() -> deliver(delivery));
        }
    }

    /** Sends one decision to one bank; on failure schedules the next attempt. Never throws. */
    public void deliver(PendingDelivery delivery) {
        String txId = delivery.txId();
        String bank = delivery.bankId();
        if (delivery.attempts() > 0) {
            metrics.redelivered(bank);
        }
        long started = System.nanoTime();
        try {
            DecisionAck ack = participants.deliver(bank, txId, delivery.decision());
            metrics.phase(TransferMetrics.Phase.DELIVERY, Duration.ofNanos(System.nanoTime() - started));
            if (ack != null && ack.heuristic()) {
                recordHeuristic(delivery, ack);
                return;
            }
            if (ack == null || !ack.agreesWith(delivery.decision())) {
                throw new IllegalStateException("bank acknowledged " + (ack == null ? "nothing" : ack.state())
                        + " instead of " + delivery.decision());
            }
            crashPoints.reach(CoordinatorCrashPoints.BEFORE_ACK_LOGGED, txId);
            transactionLog.recordAcknowledgement(txId, bank, clock.instant());
            log.debug("tx={} {} acknowledged {}", txId, bank, delivery.decision());
        } catch (RuntimeException e) {
            int attempts = delivery.attempts() + 1;
            Instant now = clock.instant();
            Instant next = now.plus(backoff.delayAfter(attempts));
            log.warn(
                    "tx={} delivering {} to {} failed (attempt {}), next try at {}: {}",
                    txId,
                    delivery.decision(),
                    bank,
                    attempts,
                    next,
                    e.toString());
            transactionLog.recordDeliveryFailure(txId, bank, attempts, e.toString(), now, next);
        }
    }

    /**
     * An operator decided this transaction at the bank alone. Nothing resent can change that, so delivery stops; a
     * contradiction is a heuristic mismatch: the banks disagree and the dashboard and the metrics say so until a
     * person puts it right.
     */
    private void recordHeuristic(PendingDelivery delivery, DecisionAck ack) {
        HeuristicOutcome outcome = HeuristicOutcome.of(ack, delivery.decision());
        transactionLog.recordHeuristicOutcome(
                delivery.txId(), delivery.bankId(), ack.state(), outcome, clock.instant());
        metrics.heuristic(delivery.bankId(), outcome);
        if (outcome == HeuristicOutcome.MISMATCH) {
            log.error(
                    "tx={} HEURISTIC MISMATCH: the decision is {} but an operator made {} {}; the banks disagree",
                    delivery.txId(),
                    delivery.decision(),
                    delivery.bankId(),
                    ack.state());
        } else {
            log.warn(
                    "tx={} {} was decided heuristically ({}), in agreement with the decision {}",
                    delivery.txId(),
                    delivery.bankId(),
                    ack.state(),
                    delivery.decision());
        }
    }
}
