package dev.twophase.coordinator.transaction;

import dev.twophase.coordinator.config.CoordinatorProperties;
import dev.twophase.coordinator.config.ProtocolTimer;
import dev.twophase.coordinator.log.NotOwner;
import dev.twophase.coordinator.log.TransactionLog;
import dev.twophase.coordinator.log.TransactionRecord;
import dev.twophase.coordinator.participant.ParticipantClient;
import dev.twophase.fault.CrashPoints;
import dev.twophase.protocol.AbortReason;
import dev.twophase.protocol.Decision;
import dev.twophase.protocol.TransferStatus;
import dev.twophase.protocol.VoteResponse;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Service;

/**
 * The protocol engine for one transaction that is already logged PREPARING: phase 1 (prepare every bank in
 * parallel, bounded by the prepare timeout), the decision (durable before anyone hears it), then phase 2 in the
 * background. The returned future completes as soon as the decision is durable. A transaction with one bank takes
 * the one-phase optimisation instead ({@link OnePhaseCommit}).
 */
@Service
public class TwoPhaseCommit {

    private static final Logger log = LoggerFactory.getLogger(TwoPhaseCommit.class);

    private final TransactionLog transactionLog;
    private final ParticipantClient participants;
    private final DecisionDelivery delivery;
    private final OnePhaseCommit onePhase;
    private final CrashPoints crashPoints;
    private final ExecutorService executor;
    private final ScheduledExecutorService timer;
    private final Duration prepareTimeout;
    private final TransferMetrics metrics;
    private final Clock clock;
    /** Transactions whose decision a thread of this process is still making; see {@link #isDeciding}. */
    private final Set<String> deciding = ConcurrentHashMap.newKeySet();

    TwoPhaseCommit(
            TransactionLog transactionLog,
            ParticipantClient participants,
            DecisionDelivery delivery,
            OnePhaseCommit onePhase,
            CrashPoints crashPoints,
            ExecutorService protocolExecutor,
            ProtocolTimer protocolTimer,
            CoordinatorProperties properties,
            TransferMetrics metrics,
            Clock clock) {
        this.metrics = metrics;
        this.transactionLog = transactionLog;
        this.participants = participants;
        this.delivery = delivery;
        this.onePhase = onePhase;
        this.crashPoints = crashPoints;
        this.executor = protocolExecutor;
        this.timer = protocolTimer.scheduler();
        this.prepareTimeout = properties.prepareTimeout();
        this.clock = clock;
    }

    public CompletableFuture<Outcome> run(String txId, Transfer transfer) {
        deciding.add(txId);
        try {
            CompletableFuture<Outcome> outcome = transfer.isOnePhase()
                    ? CompletableFuture.supplyAsync(() -> onePhase.run(txId, transfer), executor)
                    : prepareAndDecide(txId, transfer);
            outcome.whenComplete((result, failure) -> deciding.remove(txId));
            return outcome;
        } catch (RuntimeException e) {
            deciding.remove(txId);
            throw e;
        }
    }

    /**
     * True while a thread of this process is collecting votes for {@code txId} or writing its decision. A PREPARING
     * transaction for which this is false is an orphan (its thread failed) and may be aborted.
     */
    public boolean isDeciding(String txId) {
        return deciding.contains(txId);
    }

    /**
     * Sends every prepare without a thread waiting for its vote: the ballots are counted where the answers arrive, and
     * one protocol thread is started for the decision (a log write, which must not hold up the thread that reads the
     * banks' answers). One timer per transaction bounds phase 1: when it fires, every bank still silent counts as timed
     * out.
     */
    private CompletableFuture<Outcome> prepareAndDecide(String txId, Transfer transfer) {
        crashPoints.reach(CoordinatorCrashPoints.AFTER_BEGIN_LOGGED, txId);
        long started = System.nanoTime();
        VoteTally tally = new VoteTally(transfer.banks());
        CompletableFuture<VoteTally.Verdict> verdict = new CompletableFuture<>();
        for (String bank : transfer.banks()) {
            participants
                    .prepareAsync(bank, txId, transfer.operationsFor(bank))
                    .handle((vote, failure) -> ballot(txId, bank, vote, failure))
                    .thenAccept(ballot -> {
                        Optional<VoteTally.Verdict> reached;
                        synchronized (tally) {
                            reached = tally.record(bank, ballot);
                        }
                        reached.ifPresent(verdict::complete);
                    });
        }
        ScheduledFuture<?> deadline = timer.schedule(
                () -> verdict.completeExceptionally(new TimeoutException("phase 1 took too long")),
                prepareTimeout.toMillis(),
                TimeUnit.MILLISECONDS);
        verdict.whenComplete((reached, timedOut) -> deadline.cancel(false));
        return verdict.handleAsync(
                (reached, timedOut) ->
                        decide(txId, transfer.banks(), reached != null ? reached : timeOut(tally), tally, started),
                executor);
    }

    private Outcome decide(
            String txId, List<String> banks, VoteTally.Verdict verdict, VoteTally tally, long preparingSince) {
        metrics.phase(TransferMetrics.Phase.PREPARE, Duration.ofNanos(System.nanoTime() - preparingSince));
        return decide(txId, banks, verdict, ballotsOf(tally));
    }

    private static VoteTally.Verdict timeOut(VoteTally tally) {
        synchronized (tally) {
            return tally.timeOut();
        }
    }

    private Outcome decide(String txId, List<String> banks, VoteTally.Verdict verdict, Map<String, Ballot> ballots) {
        crashPoints.reach(CoordinatorCrashPoints.BEFORE_DECISION_LOGGED, txId);
        Instant now = clock.instant();
        Decision decision = verdict.decision();
        AbortReason reason = verdict.reason();
        boolean logged;
        long writing = System.nanoTime();
        try {
            logged = logDecision(txId, decision, reason, ballots, now, now.plus(delivery.lease()));
            metrics.phase(TransferMetrics.Phase.DECISION_LOG, Duration.ofNanos(System.nanoTime() - writing));
        } catch (DataAccessException e) {
            // A decision that is not durable was never made: abort. If even that cannot be written, the transaction
            // stays PREPARING until the OrphanSweeper (or a restart) aborts it: presumed abort.
            log.error("tx={} could not log the {} decision; aborting", txId, decision, e);
            decision = Decision.ABORT;
            reason = decision == verdict.decision() ? reason : AbortReason.DECISION_NOT_LOGGED;
            logged = logDecision(txId, decision, reason, ballots, now, now);
        }
        if (!logged) {
            // Decided already (an operator's abort), or no longer ours: another node took it over while this one was
            // paused or cut off, and what it recorded (or will: an abort) stands. Nothing is sent from here.
            TransactionRecord record = transactionLog.find(txId).orElseThrow();
            log.warn(
                    "tx={} was already decided ({}) or taken over (owner {}) when votes came in",
                    txId,
                    record.state(),
                    record.owner());
            return new Outcome(txId, record.state().transferStatus(), record.reason());
        }
        log.debug("tx={} decision {} logged{}", txId, decision, reason == null ? "" : " (" + reason + ")");
        metrics.decided(decision, reason);
        crashPoints.reach(CoordinatorCrashPoints.AFTER_DECISION_LOGGED, txId);
        delivery.deliverAll(txId, decision, banksToTell(banks, ballots, decision));
        return new Outcome(
                txId,
                decision == Decision.COMMIT ? TransferStatus.COMMITTED : TransferStatus.ABORTED,
                reason,
                new Outcome.Decided(now, ballots));
    }

    /** {@link TransactionLog#logDecision}; false, as for a transaction decided already, if this node lost it. */
    private boolean logDecision(
            String txId, Decision decision, AbortReason reason, Map<String, Ballot> ballots, Instant at, Instant due) {
        try {
            return transactionLog.logDecision(txId, decision, reason, ballots, at, due);
        } catch (NotOwner taken) {
            log.warn("{}: its {} decision is not recorded and not sent", taken.getMessage(), decision);
            return false;
        }
    }

    /** Every bank hears a COMMIT; an ABORT goes to every bank that did not vote NO (it may have prepared). */
    private static List<String> banksToTell(List<String> banks, Map<String, Ballot> ballots, Decision decision) {
        return banks.stream()
                .filter(bank -> decision == Decision.COMMIT
                        || !ballots.containsKey(bank) // still voting when the verdict came: may prepare yet
                        || ballots.get(bank).needsAbort())
                .toList();
    }

    private static Map<String, Ballot> ballotsOf(VoteTally tally) {
        synchronized (tally) {
            return tally.ballots();
        }
    }

    private static Ballot ballot(String txId, String bank, VoteResponse vote, Throwable failure) {
        if (failure == null && vote != null && vote.vote() != null) {
            log.debug("tx={} {} voted {}{}", txId, bank, vote.vote(), vote.reason() == null ? "" : " " + vote.reason());
            return Ballot.of(vote);
        }
        Throwable cause = failure == null ? null : ParticipantClient.unwrapped(failure);
        boolean timedOut = hasCause(cause, SocketTimeoutException.class);
        log.warn("tx={} {} gave no vote: {}", txId, bank, cause == null ? "empty answer" : cause.toString());
        return timedOut ? Ballot.timedOut() : Ballot.unreachable();
    }

    /** Whether {@code failure} or anything in its cause chain is a {@code type}. */
    static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
