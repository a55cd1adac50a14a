package dev.twophase.coordinator.transaction;

import dev.twophase.coordinator.config.CoordinatorProperties;
import dev.twophase.coordinator.log.NotOwner;
import dev.twophase.coordinator.log.PendingDelivery;
import dev.twophase.coordinator.log.TransactionLog;
import dev.twophase.coordinator.log.TransactionRecord;
import dev.twophase.coordinator.participant.BankFailures;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.HttpClientErrorException;

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
    private final Duration retention;
    private final TransferMetrics metrics;
    private final BankFailures failures;
    private final Clock clock;

    DecisionDelivery(
            TransactionLog transactionLog,
            ParticipantClient participants,
            CrashPoints crashPoints,
            ExecutorService protocolExecutor,
            CoordinatorProperties properties,
            TransferMetrics metrics,
            BankFailures failures,
            Clock clock) {
        this.metrics = metrics;
        this.failures = failures;
        this.transactionLog = transactionLog;
        this.participants = participants;
        this.crashPoints = crashPoints;
        this.executor = protocolExecutor;
        this.backoff = new Backoff(
                properties.redelivery().initialBackoff(),
                properties.redelivery().maxBackoff());
        // Long enough for one delivery with its immediate retries, so the loop does not send the same one twice.
        this.lease = properties.decisionTimeout().multipliedBy(4);
        this.retention = properties.retention().period();
        this.clock = clock;
    }

    /** How long a delivery in progress is kept from the redelivery loop. */
    public Duration lease() {
        return lease;
    }

    /**
     * Sends a just-logged decision to each of {@code banks}, in parallel and without a thread waiting for each answer,
     * then logs their acknowledgements in one write (a two-bank transfer: one log write for phase 2 instead of two)
     * and schedules another attempt for each bank that did not acknowledge. The caller passes the banks because it
     * knows them (no need to read back what it has just written); later attempts come from the log.
     */
    public void deliverAll(String txId, Decision decision, List<String> banks) {
        long started = System.nanoTime();
        List<CompletableFuture<Answer>> answers = new ArrayList<>(banks.size());
        for (String bank : banks) {
            PendingDelivery delivery = new PendingDelivery(txId, bank, decision, 0);
            answers.add(participants
                    .deliverAsync(bank, txId, decision)
                    .handle((ack, failure) -> new Answer(delivery, ack, failure, System.nanoTime() - started)));
        }
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
                .thenRun(() -> settle(
                        txId, answers.stream().map(CompletableFuture::join).toList()));
    }

    /**
     * Runs where the last answer arrived (a batch sender, usually), so it must not wait. The usual case, every bank
     * acknowledged, queues the acknowledgements for the log's next group commit and goes on: nobody waits for that
     * record, and were it lost the decision would only be sent again. Anything else is logged on a protocol thread.
     */
    private void settle(String txId, List<Answer> answers) {
        if (!answers.stream().allMatch(Answer::plainAcknowledgement)) {
            executor.execute(() -> recordAcknowledged(
                    txId,
                    answers.stream()
                            .filter(this::acknowledged)
                            .map(Answer::delivery)
                            .toList()));
            return;
        }
        answers.forEach(answer -> metrics.phase(TransferMetrics.Phase.DELIVERY, Duration.ofNanos(answer.nanos())));
        List<PendingDelivery> acknowledged =
                answers.stream().map(Answer::delivery).toList();
        List<String> banks = acknowledged.stream().map(PendingDelivery::bankId).toList();
        CompletableFuture<Void> logged;
        try {
            crashPoints.reach(CoordinatorCrashPoints.BEFORE_ACK_LOGGED, txId);
            logged = transactionLog.recordAcknowledgementsLater(txId, banks, clock.instant());
        } catch (RuntimeException e) {
            logged = CompletableFuture.failedFuture(e);
        }
        logged.whenComplete((written, failure) -> {
            if (failure == null) {
                log.debug(
                        "tx={} {} acknowledged {}",
                        txId,
                        banks,
                        acknowledged.get(0).decision());
                return;
            }
            // Not logged: as for a failed delivery, the decision goes to these banks again. Scheduling that writes to
            // the log, so not here (this may be the log's writer thread).
            RuntimeException cause = asRuntime(failure);
            executor.execute(() -> acknowledged.forEach(delivery -> scheduleNextAttempt(delivery, cause)));
        });
    }

    /** Sends one decision to one bank and logs its acknowledgement; on failure schedules the next attempt. Never throws. */
    public void deliver(PendingDelivery delivery) {
        long started = System.nanoTime();
        DecisionAck ack = null;
        RuntimeException failure = null;
        try {
            ack = participants.deliver(delivery.bankId(), delivery.txId(), delivery.decision());
        } catch (RuntimeException e) {
            failure = e;
        }
        if (acknowledged(new Answer(delivery, ack, failure, System.nanoTime() - started))) {
            recordAcknowledged(delivery.txId(), List.of(delivery));
        }
    }

    /** What came back from one delivery: the bank's acknowledgement, or why there is none. */
    private record Answer(PendingDelivery delivery, DecisionAck ack, Throwable failure, long nanos) {

        /** The bank applied the decision as sent: no failure, no heuristic outcome, no contradiction. */
        boolean plainAcknowledgement() {
            return failure == null && ack != null && !ack.heuristic() && ack.agreesWith(delivery.decision());
        }
    }

    private static RuntimeException asRuntime(Throwable failure) {
        return ParticipantClient.unwrapped(failure) instanceof RuntimeException runtime
                ? runtime
                : new IllegalStateException(failure);
    }

    /**
     * True if the bank acknowledged the decision (its acknowledgement still to be logged). A heuristic answer is logged
     * here, a failure scheduled for another attempt; both return false. Never throws.
     */
    private boolean acknowledged(Answer answer) {
        PendingDelivery delivery = answer.delivery();
        if (delivery.attempts() > 0) {
            metrics.redelivered(delivery.bankId());
        }
        try {
            if (answer.failure() != null) {
                if (forgottenPastRetention(delivery, answer.failure())) {
                    return true;
                }
                throw asRuntime(answer.failure());
            }
            metrics.phase(TransferMetrics.Phase.DELIVERY, Duration.ofNanos(answer.nanos()));
            DecisionAck ack = answer.ack();
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

    /**
     * A bank that answers a decision with 404 (no record of the transaction) for a decision older than the retention
     * period has applied it and since deleted it: a bank that voted YES keeps its record while it is in doubt and
     * deletes it only once decided and older than the period (src-docs/protocol.md, "Retention"). That happens when
     * the acknowledgement was lost and this coordinator was away for longer than the period; the decision then counts
     * as acknowledged instead of being sent for ever. A 404 for a younger decision stays a failed delivery.
     */
    private boolean forgottenPastRetention(PendingDelivery delivery, Throwable failure) {
        if (!(ParticipantClient.unwrapped(failure) instanceof HttpClientErrorException refused)
                || refused.getStatusCode().value() != 404) {
            return false;
        }
        Instant cutoff = clock.instant().minus(retention);
        boolean pastRetention = transactionLog
                .find(delivery.txId())
                .map(TransactionRecord::decidedAt)
                .filter(decidedAt -> decidedAt.isBefore(cutoff))
                .isPresent();
        if (pastRetention) {
            log.warn(
                    "tx={} {} no longer knows this {} decided over {} ago (past its retention): counted as acknowledged",
                    delivery.txId(),
                    delivery.bankId(),
                    delivery.decision(),
                    retention);
        }
        return pastRetention;
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
        } catch (NotOwner taken) {
            // Its new owner delivers the same decision (a decision is written once) and records the acknowledgements.
            log.info("{}; acknowledgements from {} left to it", taken.getMessage(), banks);
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
                    delivery.txId(),
                    delivery.bankId(),
                    attempts,
                    failures.describe(delivery.bankId(), failure).text(),
                    now,
                    next);
        } catch (NotOwner taken) {
            log.info("{}; its deliveries are the new owner's", taken.getMessage());
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
        // A NotOwner from here is scheduleNextAttempt's to report (the caller's catch); the new owner hears the same.
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
