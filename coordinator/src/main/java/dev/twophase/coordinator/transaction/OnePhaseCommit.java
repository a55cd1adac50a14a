package dev.twophase.coordinator.transaction;

import dev.twophase.coordinator.log.NotOwner;
import dev.twophase.coordinator.log.TransactionLog;
import dev.twophase.coordinator.log.TransactionRecord;
import dev.twophase.coordinator.participant.ParticipantClient;
import dev.twophase.fault.CrashPoints;
import dev.twophase.protocol.AbortReason;
import dev.twophase.protocol.Decision;
import dev.twophase.protocol.OnePhaseOutcome;
import dev.twophase.protocol.ParticipantState;
import dev.twophase.protocol.TransferStatus;
import dev.twophase.protocol.Vote;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.web.client.HttpClientErrorException;

/**
 * The one-phase optimisation, for a transfer between two accounts of the same bank: that bank is the only
 * participant, so it is sent one message (commit-one-phase) and decides by itself; the coordinator writes no
 * decision before it, only the bank's outcome after. The PREPARING record written before the message stays, so that
 * a coordinator that crashes, or a message whose answer is lost, leaves something to resolve.
 *
 * <p>Resolving an unknown outcome never guesses: the coordinator sends the bank ABORT. A bank that had not applied the
 * transfer aborts it (leaving a tombstone, so a late commit-one-phase can no longer apply) and answers ABORTED; a
 * bank that had committed refuses with 409, and the coordinator records COMMITTED.
 */
@Service
public class OnePhaseCommit {

    private static final Logger log = LoggerFactory.getLogger(OnePhaseCommit.class);

    private final TransactionLog transactionLog;
    private final ParticipantClient participants;
    private final CrashPoints crashPoints;
    private final TransferMetrics metrics;
    private final Clock clock;

    OnePhaseCommit(
            TransactionLog transactionLog,
            ParticipantClient participants,
            CrashPoints crashPoints,
            TransferMetrics metrics,
            Clock clock) {
        this.metrics = metrics;
        this.transactionLog = transactionLog;
        this.participants = participants;
        this.crashPoints = crashPoints;
        this.clock = clock;
    }

    /** Sends commit-one-phase and records the bank's outcome; PENDING if neither an answer nor a resolve came. */
    Outcome run(String txId, Transfer transfer) {
        crashPoints.reach(CoordinatorCrashPoints.AFTER_BEGIN_LOGGED, txId);
        String bank = transfer.banks().get(0);
        OnePhaseOutcome answer;
        try {
            answer = participants.commitOnePhase(bank, txId, transfer.operationsFor(bank));
        } catch (RuntimeException noAnswer) {
            boolean timedOut = TwoPhaseCommit.hasCause(noAnswer, SocketTimeoutException.class);
            log.warn(
                    "tx={} {} gave no answer to commit-one-phase ({}); resolving by abort",
                    txId,
                    bank,
                    noAnswer.toString());
            return resolve(txId, bank, timedOut ? AbortReason.TIMEOUT : AbortReason.PARTICIPANT_UNAVAILABLE)
                    .orElse(new Outcome(txId, TransferStatus.PENDING, null));
        }
        crashPoints.reach(CoordinatorCrashPoints.BEFORE_ONE_PHASE_OUTCOME_LOGGED, txId);
        return answer.state() == ParticipantState.COMMITTED
                ? record(txId, bank, Decision.COMMIT, null)
                : record(txId, bank, Decision.ABORT, answer.reason() == null ? null : AbortReason.of(answer.reason()));
    }

    /**
     * Learns the outcome of a one-phase transaction whose answer was lost (or whose coordinator restarted) by sending
     * its bank ABORT, and records it; {@code reasonIfAborted} is the reason recorded if the abort takes. Empty if the
     * bank did not answer either; the caller tries again later.
     */
    public Optional<Outcome> resolve(String txId, String bank, AbortReason reasonIfAborted) {
        try {
            participants.deliver(bank, txId, Decision.ABORT);
            return Optional.of(record(txId, bank, Decision.ABORT, reasonIfAborted));
        } catch (HttpClientErrorException.Conflict committed) {
            log.info("tx={} {} had already committed in one phase", txId, bank);
            return Optional.of(record(txId, bank, Decision.COMMIT, null));
        } catch (RuntimeException stillNoAnswer) {
            log.warn("tx={} outcome at {} still unknown: {}", txId, bank, stillNoAnswer.toString());
            return Optional.empty();
        }
    }

    private Outcome record(String txId, String bank, Decision decision, AbortReason reason) {
        Ballot ballot = decision == Decision.COMMIT ? Ballot.YES : new Ballot(Vote.NO, reason);
        boolean logged;
        try {
            logged = transactionLog.logOnePhaseOutcome(txId, bank, decision, reason, ballot, clock.instant());
        } catch (NotOwner taken) {
            // Taken over while the bank was deciding: the new owner learns the same outcome by asking the bank.
            log.warn("{}; its outcome is the new owner's to record", taken.getMessage());
            logged = false;
        }
        if (logged) {
            log.debug("tx={} {} in one phase at {}{}", txId, decision, bank, reason == null ? "" : " (" + reason + ")");
            metrics.decided(decision, reason);
            return new Outcome(
                    txId, decision == Decision.COMMIT ? TransferStatus.COMMITTED : TransferStatus.ABORTED, reason);
        }
        TransactionRecord current = transactionLog.find(txId).orElseThrow();
        return new Outcome(txId, current.state().transferStatus(), current.reason());
    }
}
