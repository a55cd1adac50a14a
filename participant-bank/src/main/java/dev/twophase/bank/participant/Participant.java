package dev.twophase.bank.participant;

import dev.twophase.bank.account.Accounts;
import dev.twophase.bank.config.BankProperties;
import dev.twophase.fault.CrashPoints;
import dev.twophase.protocol.DecidedTransaction;
import dev.twophase.protocol.Decision;
import dev.twophase.protocol.DecisionAck;
import dev.twophase.protocol.OnePhaseOutcome;
import dev.twophase.protocol.Operation;
import dev.twophase.protocol.OperationType;
import dev.twophase.protocol.ParticipantState;
import dev.twophase.protocol.RefusalReason;
import dev.twophase.protocol.Vote;
import dev.twophase.protocol.VoteResponse;
import dev.twophase.store.GroupCommit;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;

/**
 * The bank's side of two-phase commit. Each step is one write through the store's {@link GroupCommit} that changes
 * the participant log and the balances together (one savepoint inside a shared commit), so the log and the money can
 * never disagree; a step answers only once its commit is durable. Every step is idempotent by transaction id: a
 * repeated or late message gets the answer the first one got and changes nothing.
 */
@Service
public class Participant {

    private static final Logger log = LoggerFactory.getLogger(Participant.class);
    /** Accounts are always touched in this order, so two transactions never wait on each other in a cycle. */
    private static final Comparator<Operation> LOCK_ORDER =
            Comparator.comparing(Operation::account).thenComparing(Operation::type);

    private final Accounts accounts;
    private final ParticipantLog participantLog;
    private final GroupCommit writes;
    private final CrashPoints crashPoints;
    private final Clock clock;
    private final BankProperties properties;
    private final ParticipantMetrics metrics;
    /** Several times the transactions in flight at once; 10,000 short lists of operations are a few MB at most. */
    private final PreparedOperations prepared = new PreparedOperations(10_000);

    Participant(
            Accounts accounts,
            ParticipantLog participantLog,
            GroupCommit writes,
            CrashPoints crashPoints,
            Clock clock,
            BankProperties properties,
            ParticipantMetrics metrics) {
        this.metrics = metrics;
        this.accounts = accounts;
        this.participantLog = participantLog;
        this.writes = writes;
        this.crashPoints = crashPoints;
        this.clock = clock;
        this.properties = properties;
    }

    /**
     * Phase 1. Votes YES only after the holds and the PREPARED record are durable; votes NO (and records it, so that
     * the answer never changes) when an account is unknown or lacks the money.
     */
    public VoteResponse prepare(String txId, List<Operation> operations) {
        crashPoints.reach(BankCrashPoints.BEFORE_PREPARE, txId);
        Optional<RefusalReason> invalid = OperationRules.check(operations);
        if (invalid.isPresent()) {
            return refuse(txId, invalid.get());
        }
        try {
            writes.write(() -> holdAndLogPrepared(txId, operations));
        } catch (Refused refused) {
            return refuse(txId, refused.reason);
        } catch (DuplicateKeyException retried) {
            // A retried (or late) prepare: its holds were undone with the write, and the first one's record answers.
            // Not read first: nearly every prepare is new, and the duplicate key finds the others for free. The
            // record is durable by now, as a write is released only once its batch is, and every batch before it.
            return participantLog.find(txId).orElseThrow().vote();
        }
        prepared.prepared(txId, List.copyOf(operations));
        log.debug("tx={} PREPARED {}", txId, operations);
        metrics.voted(Vote.YES);
        crashPoints.reach(BankCrashPoints.AFTER_PREPARE_LOGGED, txId);
        return VoteResponse.yes(txId);
    }

    /**
     * The one-phase optimisation: this bank is the transaction's only participant, so it decides. In one write it
     * checks and applies every operation and logs COMMITTED, or logs ABORTED with the reason it refused (and applies
     * nothing). Idempotent by transaction id; a transaction already ABORTED (say by the coordinator's abort after a
     * lost answer) stays aborted.
     *
     * @throws DecisionConflict if the transaction is PREPARED by a two-phase prepare
     */
    public OnePhaseOutcome commitOnePhase(String txId, List<Operation> operations) {
        if (participantLog.find(txId).isPresent()) {
            return outcomeOf(durableRecord(txId)); // a retried message: answered only once its record is durable
        }
        Optional<RefusalReason> invalid = OperationRules.check(operations);
        if (invalid.isPresent()) {
            return OnePhaseOutcome.aborted(txId, refuse(txId, invalid.get()).reason());
        }
        try {
            writes.write(() -> {
                holdAndLogPrepared(txId, operations);
                participantLog.decide(txId, ParticipantState.COMMITTED, DecidedVia.ONE_PHASE, clock.instant());
                apply(operations);
            });
        } catch (Refused refused) {
            VoteResponse vote = refuse(txId, refused.reason);
            return vote.vote() == Vote.NO ? OnePhaseOutcome.aborted(txId, vote.reason()) : outcomeOfRecord(txId);
        } catch (DuplicateKeyException raced) {
            return outcomeOfRecord(txId);
        }
        log.debug("tx={} COMMITTED in one phase {}", txId, operations);
        metrics.decided(ParticipantState.COMMITTED, DecidedVia.ONE_PHASE);
        return OnePhaseOutcome.committed(txId);
    }

    /**
     * Phase 2, commit: spends the holds and pays the credits, once. If an operator already decided the transaction
     * here (heuristically), nothing changes and the acknowledgement says what was done, flagged heuristic.
     */
    public DecisionAck commit(String txId, DecidedVia via) {
        List<Operation> operations = prepared.of(txId);
        if (operations == null) {
            ParticipantRecord record = participantLog.find(txId).orElseThrow(() -> new UnknownTransaction(txId));
            if (record.state() == ParticipantState.PREPARED) {
                crashPoints.reach(BankCrashPoints.BEFORE_COMMIT_APPLIED, txId);
            }
            operations = record.operations();
        } else {
            crashPoints.reach(BankCrashPoints.BEFORE_COMMIT_APPLIED, txId);
        }
        List<Operation> toApply = operations;
        DecisionAck ack = writes.write(() -> {
            // Whether it is still PREPARED is decided here, by the conditional update, whatever was remembered.
            if (!participantLog.decide(txId, ParticipantState.COMMITTED, via, clock.instant())) {
                return ackOfRecord(txId);
            }
            apply(toApply);
            log.debug("tx={} COMMITTED (decision via {})", txId, via);
            metrics.decided(ParticipantState.COMMITTED, via);
            return new DecisionAck(txId, ParticipantState.COMMITTED);
        });
        prepared.decided(txId);
        if (ack.state() == ParticipantState.ABORTED && !ack.heuristic()) {
            throw new DecisionConflict(txId, ack.state(), "commit");
        }
        crashPoints.reach(BankCrashPoints.AFTER_COMMIT_APPLIED, txId);
        return reportHeuristic(ack, "COMMIT");
    }

    /**
     * Phase 2, abort: releases the holds once; for a transaction never prepared, leaves a tombstone. A heuristic
     * outcome is reported as for {@link #commit}.
     */
    public DecisionAck abort(String txId, DecidedVia via) {
        DecisionAck ack;
        try {
            ack = writes.write(() -> abortInTransaction(txId, via));
        } catch (DuplicateKeyException raced) {
            // A prepare wrote its record while we wrote the tombstone: abort that record instead.
            ack = writes.write(() -> abortInTransaction(txId, via));
        }
        prepared.decided(txId);
        if (ack.state() == ParticipantState.COMMITTED && !ack.heuristic()) {
            throw new DecisionConflict(txId, ack.state(), "abort");
        }
        crashPoints.reach(BankCrashPoints.AFTER_ABORT_APPLIED, txId);
        return reportHeuristic(ack, "ABORT");
    }

    /**
     * An operator's heuristic decision: applies {@code decision} to a PREPARED transaction at this bank alone and
     * records who ordered it and why. The outcome stays flagged; a later decision from the coordinator gets it back
     * in a heuristic acknowledgement (and the coordinator reports a mismatch if they differ).
     *
     * @throws UnknownTransaction if this bank has no record of {@code txId}
     * @throws NotInDoubt if the transaction is already decided here
     */
    public ParticipantRecord decideHeuristically(String txId, Decision decision, String operator, String reason) {
        ParticipantRecord record = participantLog.find(txId).orElseThrow(() -> new UnknownTransaction(txId));
        ParticipantState outcome = decision == Decision.COMMIT ? ParticipantState.COMMITTED : ParticipantState.ABORTED;
        boolean decided = writes.write(() -> {
            if (!participantLog.decide(txId, outcome, DecidedVia.HEURISTIC, clock.instant())) {
                return false;
            }
            participantLog.recordHeuristic(txId, operator, reason);
            if (outcome == ParticipantState.COMMITTED) {
                apply(record.operations());
            } else {
                release(record.operations());
            }
            return true;
        });
        prepared.decided(txId);
        ParticipantRecord now = participantLog.find(txId).orElseThrow();
        if (!decided) {
            throw new NotInDoubt(txId, now.state());
        }
        log.warn("tx={} HEURISTIC {} ordered by {}: {}", txId, outcome, operator, reason);
        metrics.decided(outcome, DecidedVia.HEURISTIC);
        return now;
    }

    public Optional<ParticipantRecord> find(String txId) {
        return participantLog.find(txId);
    }

    public List<ParticipantRecord> findByState(ParticipantState state) {
        return participantLog.findByState(state);
    }

    /** Reconciliation: what this bank decided in {@code [from, to)}, a page at a time (see ParticipantLog). */
    public List<DecidedTransaction> findDecidedBetween(
            Instant from, Instant to, Instant afterDecidedAt, String afterTxId, int limit) {
        return participantLog.findDecidedBetween(from, to, afterDecidedAt, afterTxId, limit);
    }

    /** Commit's effect on the balances: each debit spends its hold, each credit is paid in. */
    private void apply(List<Operation> operations) {
        for (Operation op : sorted(operations)) {
            if (op.type() == OperationType.DEBIT) {
                accounts.spendHold(op.account(), op.amount());
            } else {
                accounts.credit(op.account(), op.amount());
            }
        }
    }

    private OnePhaseOutcome outcomeOfRecord(String txId) {
        return outcomeOf(participantLog.find(txId).orElseThrow(() -> new UnknownTransaction(txId)));
    }

    private static OnePhaseOutcome outcomeOf(ParticipantRecord record) {
        return switch (record.state()) {
            case COMMITTED -> OnePhaseOutcome.committed(record.txId());
            case ABORTED -> OnePhaseOutcome.aborted(record.txId(), record.reason());
            case PREPARED -> throw new DecisionConflict(record.txId(), record.state(), "commit in one phase");
        };
    }

    private void holdAndLogPrepared(String txId, List<Operation> operations) {
        List<Operation> ordered = sorted(operations);
        for (Operation op : ordered) {
            if (op.type() == OperationType.CREDIT && !accounts.exists(op.account())) {
                throw new Refused(RefusalReason.UNKNOWN_ACCOUNT);
            }
        }
        // A debit's account is not looked up first: its hold finds no row if it does not exist, and only a refused
        // hold asks why (an unknown account anywhere in the transaction is the reason before a lack of money).
        for (Operation op : ordered) {
            if (op.type() == OperationType.DEBIT && !accounts.hold(op.account(), op.amount())) {
                throw new Refused(
                        ordered.stream().allMatch(each -> accounts.exists(each.account()))
                                ? RefusalReason.INSUFFICIENT_FUNDS
                                : RefusalReason.UNKNOWN_ACCOUNT);
            }
        }
        Instant now = clock.instant();
        participantLog.recordPrepared(
                txId, operations, now, now.plus(properties.inquiry().after()));
    }

    private VoteResponse refuse(String txId, RefusalReason reason) {
        try {
            writes.write(() -> participantLog.recordAborted(txId, reason, clock.instant()));
        } catch (DuplicateKeyException raced) {
            return participantLog.find(txId).orElseThrow().vote();
        }
        log.debug("tx={} voted NO: {}", txId, reason);
        metrics.voted(Vote.NO);
        return VoteResponse.no(txId, reason);
    }

    private DecisionAck abortInTransaction(String txId, DecidedVia via) {
        Optional<ParticipantRecord> record = participantLog.find(txId);
        if (record.isEmpty()) {
            participantLog.recordAborted(txId, RefusalReason.ALREADY_ABORTED, clock.instant());
            log.info("tx={} abort arrived before prepare: tombstone written", txId);
            return new DecisionAck(txId, ParticipantState.ABORTED);
        }
        if (!participantLog.decide(txId, ParticipantState.ABORTED, via, clock.instant())) {
            return ackOfRecord(txId);
        }
        release(record.get().operations());
        log.debug("tx={} ABORTED (decision via {}), holds released", txId, via);
        metrics.decided(ParticipantState.ABORTED, via);
        return new DecisionAck(txId, ParticipantState.ABORTED);
    }

    /** Abort's effect on the balances: each debit's hold is released. */
    private void release(List<Operation> operations) {
        for (Operation op : sorted(operations)) {
            if (op.type() == OperationType.DEBIT) {
                accounts.releaseHold(op.account(), op.amount());
            }
        }
    }

    /** The record read on the writer, so released only once what it shows is durable. */
    private ParticipantRecord durableRecord(String txId) {
        return writes.write(() -> participantLog.find(txId)).orElseThrow(() -> new UnknownTransaction(txId));
    }

    /** The acknowledgement for a transaction decided earlier: its state, flagged if an operator decided it. */
    private DecisionAck ackOfRecord(String txId) {
        ParticipantRecord record = participantLog.find(txId).orElseThrow(() -> new UnknownTransaction(txId));
        return new DecisionAck(txId, record.state(), record.heuristic());
    }

    private static DecisionAck reportHeuristic(DecisionAck ack, String decision) {
        if (ack.heuristic()) {
            log.warn(
                    "tx={} the coordinator's {} found a heuristic outcome here: {}{}",
                    ack.txId(),
                    decision,
                    ack.state(),
                    ack.agreesWith(Decision.valueOf(decision)) ? "" : " (HEURISTIC MISMATCH)");
        }
        return ack;
    }

    private static List<Operation> sorted(List<Operation> operations) {
        return operations.stream().sorted(LOCK_ORDER).toList();
    }

    /** Prepare found a reason to vote NO; thrown inside the write so that its holds roll back. */
    private static final class Refused extends RuntimeException {
        private final RefusalReason reason;

        Refused(RefusalReason reason) {
            super(reason.name(), null, false, false);
            this.reason = reason;
        }
    }
}
