package dev.twophase.coordinator.dashboard;

import dev.twophase.coordinator.dashboard.AuditEntry.Result;
import dev.twophase.coordinator.log.TransactionLog;
import dev.twophase.coordinator.log.TransactionRecord;
import dev.twophase.coordinator.transaction.DecisionDelivery;
import dev.twophase.coordinator.transaction.TransferMetrics;
import dev.twophase.coordinator.transaction.TxState;
import dev.twophase.protocol.AbortReason;
import dev.twophase.protocol.Decision;
import dev.twophase.protocol.HeuristicDecisionRequest;
import dev.twophase.protocol.ParticipantTransaction;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Service;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClientException;

/**
 * What an operator can do to a transaction, each checked against the log first so that no action can make the two
 * banks disagree silently, and each written to the audit log with who, why and what came of it (refusals too).
 *
 * <ul>
 *   <li>Retry delivery: only for a decided, unacknowledged transaction; it only brings the next attempt forward.
 *   <li>Abort: only for a two-phase transaction still collecting votes. The log decides the race with the engine
 *       (whichever decision is written first stands), and the abort is delivered to every bank.
 *   <li>Heuristic decision at a bank: only for a transaction this coordinator has no record of (its coordinator lost
 *       it or is gone). For one it knows, the coordinator's decision is the truth and is delivered instead; a
 *       heuristic outcome that later contradicts a decision is reported as a heuristic mismatch.
 * </ul>
 */
@Service
public class OperatorActions {

    private static final Logger log = LoggerFactory.getLogger(OperatorActions.class);

    private final TransactionLog transactionLog;
    private final DecisionDelivery delivery;
    private final BankOpsClient banks;
    private final AuditLog audit;
    private final TransferMetrics metrics;
    private final Clock clock;

    OperatorActions(
            TransactionLog transactionLog,
            DecisionDelivery delivery,
            BankOpsClient banks,
            AuditLog audit,
            TransferMetrics metrics,
            Clock clock) {
        this.transactionLog = transactionLog;
        this.delivery = delivery;
        this.banks = banks;
        this.audit = audit;
        this.metrics = metrics;
        this.clock = clock;
    }

    public AuditEntry retryDelivery(String actor, String txId, String reason) {
        Optional<TransactionRecord> record = transactionLog.find(txId);
        if (record.isEmpty()) {
            return refused(actor, OperatorAction.RETRY_DELIVERY, txId, null, reason, "no such transaction");
        }
        TxState state = record.get().state();
        if (state != TxState.COMMITTING && state != TxState.ABORTING) {
            return refused(
                    actor,
                    OperatorAction.RETRY_DELIVERY,
                    txId,
                    null,
                    reason,
                    state == TxState.PREPARING
                            ? "still collecting votes: there is no decision to deliver yet"
                            : "already " + state + ": every bank has acknowledged");
        }
        int due = transactionLog.makeDeliveriesDue(txId, clock.instant());
        return done(
                actor,
                OperatorAction.RETRY_DELIVERY,
                txId,
                null,
                reason,
                due + " delivery(ies) of " + state.decision().orElseThrow() + " due now");
    }

    public AuditEntry abort(String actor, String txId, String reason) {
        Optional<TransactionRecord> record = transactionLog.find(txId);
        if (record.isEmpty()) {
            return refused(actor, OperatorAction.ABORT, txId, null, reason, "no such transaction");
        }
        if (record.get().state() != TxState.PREPARING) {
            return refused(
                    actor,
                    OperatorAction.ABORT,
                    txId,
                    null,
                    reason,
                    "already decided: " + record.get().state());
        }
        if (record.get().transfer().isOnePhase()) {
            // Its only bank decides by itself and may already have committed; the sweeper learns the outcome by
            // asking it. An abort written here could contradict a commit the bank has made.
            return refused(
                    actor,
                    OperatorAction.ABORT,
                    txId,
                    null,
                    reason,
                    "one-phase transaction: its bank decides; the coordinator resolves it by asking the bank");
        }
        Instant now = clock.instant();
        // Any node may write it, whoever owns the transaction: the decision is written once, whoever comes first.
        if (!transactionLog.logOperatorAbort(txId, now)) {
            TxState state = transactionLog.find(txId).orElseThrow().state();
            return refused(actor, OperatorAction.ABORT, txId, null, reason, "decided meanwhile: " + state);
        }
        log.warn("tx={} ABORT logged by operator {}: {}", txId, actor, reason);
        metrics.decided(Decision.ABORT, AbortReason.OPERATOR_ABORTED);
        // Every bank: none of their votes is known here, and any of them may have prepared.
        delivery.deliverAll(txId, Decision.ABORT, record.get().transfer().banks());
        return done(actor, OperatorAction.ABORT, txId, null, reason, "ABORT logged and sent to every bank");
    }

    public AuditEntry decideHeuristically(String actor, String txId, String bank, Decision decision, String reason) {
        OperatorAction action =
                decision == Decision.COMMIT ? OperatorAction.HEURISTIC_COMMIT : OperatorAction.HEURISTIC_ABORT;
        if (!banks.banks().containsKey(bank)) {
            return refused(actor, action, txId, bank, reason, "no bank " + bank + " is configured here");
        }
        Optional<TransactionRecord> record = transactionLog.find(txId);
        if (record.isPresent()) {
            TxState state = record.get().state();
            return refused(
                    actor,
                    action,
                    txId,
                    bank,
                    reason,
                    state == TxState.PREPARING
                            ? "this coordinator is still collecting votes: abort the transaction instead"
                            : "this coordinator decided " + state.decision().orElseThrow()
                                    + "; it delivers that decision (use retry delivery), a heuristic one could only"
                                    + " contradict or repeat it");
        }
        try {
            ParticipantTransaction after =
                    banks.decideHeuristically(bank, txId, new HeuristicDecisionRequest(decision, actor, reason));
            log.warn("tx={} HEURISTIC {} at {} ordered by {}: {}", txId, decision, bank, actor, reason);
            return done(actor, action, txId, bank, reason, bank + " is now " + after.state() + " (heuristic)");
        } catch (HttpClientErrorException e) {
            ProblemDetail problem = e.getResponseBodyAs(ProblemDetail.class);
            String why = e.getStatusCode().value() == 404
                    ? bank + " has no record of this transaction"
                    : bank + " refused: "
                            + (problem != null && problem.getDetail() != null
                                    ? problem.getDetail()
                                    : e.getResponseBodyAsString());
            return refused(actor, action, txId, bank, reason, why);
        } catch (RestClientException e) {
            return record(actor, action, txId, bank, reason, Result.FAILED, bank + " did not answer: " + e);
        }
    }

    private AuditEntry done(
            String actor, OperatorAction action, String txId, String bank, String reason, String detail) {
        return record(actor, action, txId, bank, reason, Result.DONE, detail);
    }

    private AuditEntry refused(
            String actor, OperatorAction action, String txId, String bank, String reason, String detail) {
        return record(actor, action, txId, bank, reason, Result.REFUSED, detail);
    }

    private AuditEntry record(
            String actor,
            OperatorAction action,
            String txId,
            String bank,
            String reason,
            Result result,
            String detail) {
        AuditEntry entry =
                audit.append(new AuditEntry(0, clock.instant(), actor, action, txId, bank, reason, result, detail));
        log.info("tx={} operator {} {}: {} ({}) because: {}", txId, actor, action, result, detail, reason);
        return entry;
    }
}
