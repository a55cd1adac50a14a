package dev.twophase.bank.participant;

import dev.twophase.protocol.DecidedTransaction;
import dev.twophase.protocol.Operation;
import dev.twophase.protocol.ParticipantState;
import dev.twophase.protocol.RefusalReason;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The bank's durable record of every transaction it has heard of. Writes join the caller's database transaction
 * and are durable (they survive kill -9) once that transaction has committed.
 */
public interface ParticipantLog {

    /** The record of {@code txId}, if there is one. */
    Optional<ParticipantRecord> find(String txId);

    /**
     * Writes {@code txId} as PREPARED with its operations; the first inquiry is due at {@code firstInquiryAt}.
     *
     * @throws org.springframework.dao.DuplicateKeyException if the log already has a record of {@code txId}
     */
    void recordPrepared(String txId, List<Operation> operations, Instant preparedAt, Instant firstInquiryAt);

    /**
     * Writes {@code txId} as ABORTED without ever having been prepared: a NO vote, or an abort that came first.
     *
     * @throws org.springframework.dao.DuplicateKeyException if the log already has a record of {@code txId}
     */
    void recordAborted(String txId, RefusalReason reason, Instant at);

    /**
     * Moves {@code txId} from PREPARED to {@code outcome} (COMMITTED or ABORTED).
     *
     * @return true if this call made the move; false if the record was not PREPARED (already decided, or absent), so
     *     that of two concurrent callers exactly one applies the balances
     */
    boolean decide(String txId, ParticipantState outcome, DecidedVia via, Instant at);

    /** How many records are in {@code state}. */
    long count(ParticipantState state);

    /** Every record in {@code state}, oldest first. */
    List<ParticipantRecord> findByState(ParticipantState state);

    /**
     * Reconciliation: at most {@code limit} transactions decided (committed or aborted, tombstones included) at or after
     * {@code from} and before {@code to}, ordered by decision time then id, starting after ({@code afterDecidedAt},
     * {@code afterTxId}) when those are given; each with the net amount of its operations.
     */
    List<DecidedTransaction> findDecidedBetween(
            Instant from, Instant to, Instant afterDecidedAt, String afterTxId, int limit);

    /** Ids of PREPARED transactions whose next inquiry is due at or before {@code now}, at most {@code limit}. */
    List<String> findInDoubtDueForInquiry(Instant now, int limit);

    /**
     * Notes a failed or inconclusive inquiry made at {@code at} and when to ask next; {@code error} is why it got no
     * answer, or null if the coordinator answered (PENDING).
     */
    void scheduleInquiry(String txId, int attempts, Instant at, String error, Instant nextInquiryAt);

    /**
     * Notes who ordered the heuristic decision of {@code txId} and why; joins the write that {@link #decide decided}
     * it with {@link DecidedVia#HEURISTIC}.
     */
    void recordHeuristic(String txId, String operator, String reason);

    /** Makes every PREPARED transaction due for inquiry at {@code at} (used on restart). @return how many */
    int makeAllInDoubtDue(Instant at);

    /**
     * Retention: deletes at most {@code limit} transactions decided before {@code before} (committed, aborted, and abort
     * tombstones), oldest first, with their operations. Never a PREPARED one (in doubt: only its decision ends it), nor
     * one decided heuristically (kept for the operators). Call it from the store's writer, like every write.
     *
     * @return how many were deleted
     */
    int retireDecided(Instant before, int limit);
}
