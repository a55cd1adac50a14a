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
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
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
     * Sends a just-logged decision to each of {@code banks}, in parallel, and logs their acknowledgements in one write
     * once every bank has answered (a two-bank transfer: one log write for phase 2 instead of two). The caller passes
     * the banks because it knows them (no need to read back what it has just written); later attempts come from the
     * log.
     */
    public void deliverAll(String txId, Decision decision, List<String> banks) {
        List<CompletableFuture<PendingDelivery>> answers = new ArrayList<>(banks.size());
        for (String bank : banks) {
            PendingDelivery delivery = new PendingDelivery(txId, bank, decision, 0);
            answers.add(CompletableFuture.supplyAsync(() -> send(delivery) ? delivery : null, executor));
        }
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
                .thenRun(() -> recordAcknowledged(
                        txId,
                        answers.stream()
                                .map(CompletableFuture::join)
                                .filter(Objects::nonNull)
                                .toList()));
    }

    /** Sends one decision to one bank and logs its acknowledgement; on failure schedules the next attempt. Never throws. */
    public void deliver(PendingDelivery delivery) {
        if (send(delivery)) {
            recordAcknowledged(delivery.txId(), List.of(delivery));
        }
    }

    /**
     * Sends the decision; true if the bank acknowledged it (its acknowledgement still to be logged). A heuristic
     * answer is logged here, a failure scheduled for another attempt; both return false. Never throws.
     */
    private boolean send(PendingDelivery delivery) {
        if (delivery.attempts() > 0) {
            metrics.redelivered(delivery.bankId());
        }
        long started = System.nanoTime();
        try {
            DecisionAck ack = participants.deliver(delivery.bankId(), delivery.txId(), delivery.decision());
            metrics.phase(TransferMetrics.Phase.DELIVERY, Duration.ofNanos(System.nanoTime() - started));
            if (ack != null && ack.heuristic()) {
                recordHeuristic(delivery, ack);
                return false;
            }
            if (ack == null || !ack.agreesWith(delivery.decision())) {
                throw new IllegalStateException("bank acknowledged " + (ack == null ? "nothing" : ack.state())
                        + " instead of " + delivery.decision());
            }
            return true;
        } catch (RuntimeException e) {
            scheduleNextAttempt(delivery, e);
            return false;
        }
    }

    private void recordAcknowledged(String txId, List<PendingDelivery> acknowledged) {
        if (acknowledged.isEmpty()) {
            return;
        }
        List<String> banks = acknowledged.stream().map(PendingDelivery::bankId).toList();
        try {
            crashPoints.reach(CoordinatorCrashPoints.BEFORE_ACK_LOGGED, txId);
            transactionLog.recordAcknowledgements(txId, banks, clock.instant());
            log.debug(
                    "tx={} {} acknowledged {}", txId, banks, acknowledged.get(0).decision());
        } catch (RuntimeException e) {
            // Not logged: as for a failed delivery, the decision goes to these banks again.
            acknowledged.forEach(delivery -> scheduleNextAttempt(delivery, e));
        }
    }

    private void scheduleNextAttempt(PendingDelivery delivery, RuntimeException failure) {
        int attempts = delivery.attempts() + 1;
        Instant now = clock.instant();
        Instant next = now.plus(backoff.delayAfter(attempts));
        log.warn(
                "tx={} delivering {} to {} failed (attempt {}), next try at {}: {}",
                delivery.txId(),
                delivery.decision(),
                delivery.bankId(),
                attempts,
                next,
                failure.toString());
        try {
            transactionLog.recordDeliveryFailure(
                    delivery.txId(), delivery.bankId(), attempts, failure.toString(), now, next);
        } catch (RuntimeException notLogged) {
            // The delivery stays leased in the log: the redelivery loop takes it up again once the lease runs out.
            log.warn("tx={} the failed delivery to {} could not be logged either", delivery.txId(), delivery.bankId());
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
