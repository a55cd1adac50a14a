package dev.twophase.bank.participant;

import dev.twophase.fault.WriteFaults;
import dev.twophase.protocol.DecidedTransaction;
import dev.twophase.protocol.Operation;
import dev.twophase.protocol.ParticipantState;
import dev.twophase.protocol.RefusalReason;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A {@link ParticipantLog} whose writes are slowed or fail as configured, before they reach the real log. */
final class FaultInjectingParticipantLog implements ParticipantLog {

    /** The writes that can be made to fail or slow down. */
    enum Write {
        PREPARED,
        ABORTED,
        DECISION
    }

    private final ParticipantLog log;
    private final WriteFaults<Write> faults;

    FaultInjectingParticipantLog(ParticipantLog log, WriteFaults<Write> faults) {
        this.log = log;
        this.faults = faults;
    }

    @Override
    public void recordPrepared(String txId, List<Operation> operations, Instant preparedAt, Instant firstInquiryAt) {
        faults.beforeWrite(Write.PREPARED, txId);
        log.recordPrepared(txId, operations, preparedAt, firstInquiryAt);
    }

    @Override
    public void recordAborted(String txId, RefusalReason reason, Instant at) {
        faults.beforeWrite(Write.ABORTED, txId);
        log.recordAborted(txId, reason, at);
    }

    @Override
    public boolean decide(String txId, ParticipantState outcome, DecidedVia via, Instant at) {
        faults.beforeWrite(Write.DECISION, txId);
        return log.decide(txId, outcome, via, at);
    }

    @Override
    public Optional<ParticipantRecord> find(String txId) {
        return log.find(txId);
    }

    @Override
    public List<ParticipantRecord> findByState(ParticipantState state) {
        return log.findByState(state);
    }

    @Override
    public List<DecidedTransaction> findDecidedBetween(
            Instant from, Instant to, Instant afterDecidedAt, String afterTxId, int limit) {
        return log.findDecidedBetween(from, to, afterDecidedAt, afterTxId, limit);
    }

    @Override
    public List<String> findInDoubtDueForInquiry(Instant now, int limit) {
        return log.findInDoubtDueForInquiry(now, limit);
    }

    @Override
    public void scheduleInquiry(String txId, int attempts, Instant at, String error, Instant nextInquiryAt) {
        log.scheduleInquiry(txId, attempts, at, error, nextInquiryAt);
    }

    @Override
    public long count(ParticipantState state) {
        return log.count(state);
    }

    @Override
    public void recordHeuristic(String txId, String operator, String reason) {
        log.recordHeuristic(txId, operator, reason);
    }

    @Override
    public int makeAllInDoubtDue(Instant at) {
        return log.makeAllInDoubtDue(at);
    }

    @Override
    public int retireDecided(Instant before, int limit) {
        return log.retireDecided(before, limit);
    }
}
