package dev.twophase.coordinator.transaction;

import dev.twophase.coordinator.config.CoordinatorProperties;
import dev.twophase.coordinator.log.PendingDelivery;
import dev.twophase.coordinator.log.TransactionLog;
import dev.twophase.coordinator.participant.ParticipantClient;
import dev.twophase.fault.CrashPoints;
import dev.twophase.protocol.Decision;
import dev.twophase.protocol.DecisionAck;
import dev.twophase.protocol.ParticipantState;
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
    private final Clock clock;

    DecisionDelivery(
            TransactionLog transactionLog,
            ParticipantClient participants,
            CrashPoints crashPoints,
            ExecutorService protocolExecutor,
            CoordinatorProperties properties,
            Clock clock) {
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
        try {
            DecisionAck ack = participants.deliver(delivery.bankId(), txId, delivery.decision());
            ParticipantState expected =
                    delivery.decision() == Decision.COMMIT ? ParticipantState.COMMITTED : ParticipantState.ABORTED;
            if (ack == null || ack.state() != expected) {
                throw new IllegalStateException(
                        "bank acknowledged " + (ack == null ? "nothing" : ack.state()) + " instead of " + expected);
            }
            crashPoints.reach(CoordinatorCrashPoints.BEFORE_ACK_LOGGED, txId);
            transactionLog.recordAcknowledgement(txId, delivery.bankId(), clock.instant());
            log.info("tx={} {} acknowledged {}", txId, delivery.bankId(), delivery.decision());
        } catch (RuntimeException e) {
            int attempts = delivery.attempts() + 1;
            Instant next = clock.instant().plus(backoff.delayAfter(attempts));
            log.warn(
                    "tx={} delivering {} to {} failed (attempt {}), next try at {}: {}",
                    txId,
                    delivery.decision(),
                    delivery.bankId(),
                    attempts,
                    next,
                    e.toString());
            transactionLog.recordDeliveryFailure(txId, delivery.bankId(), attempts, e.toString(), next);
        }
    }
}
