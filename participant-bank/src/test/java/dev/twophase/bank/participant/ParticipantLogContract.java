package dev.twophase.bank.participant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.twophase.protocol.DecidedTransaction;
import dev.twophase.protocol.Operation;
import dev.twophase.protocol.ParticipantState;
import dev.twophase.protocol.RefusalReason;
import dev.twophase.protocol.Vote;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DuplicateKeyException;

/** What every {@link ParticipantLog} must do; each implementation's test extends this. */
abstract class ParticipantLogContract {

    static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    static final List<Operation> OPERATIONS = List.of(
            Operation.debit("alice", new BigDecimal("10.00")), Operation.credit("carol", new BigDecimal("10.00")));

    ParticipantLog log;

    /** A log over fresh storage, or over the storage of the previous {@link #reopen()}. */
    abstract ParticipantLog open();

    /** Closes the storage as a stopping process would. */
    abstract void close();

    ParticipantLog reopen() {
        close();
        return open();
    }

    @BeforeEach
    void openLog() {
        log = open();
    }

    @AfterEach
    void closeLog() {
        close();
    }

    @Test
    void recordsAPreparedTransactionWithItsOperationsInOrder() {
        log.recordPrepared("tx-1", OPERATIONS, T0, T0.plusSeconds(5));

        ParticipantRecord record = log.find("tx-1").orElseThrow();
        assertThat(record.state()).isEqualTo(ParticipantState.PREPARED);
        assertThat(record.operations()).containsExactlyElementsOf(OPERATIONS);
        assertThat(record.preparedAt()).isEqualTo(T0);
        assertThat(record.vote().vote()).isEqualTo(Vote.YES);
        assertThat(log.findByState(ParticipantState.PREPARED))
                .extracting(ParticipantRecord::txId)
                .containsExactly("tx-1");
    }

    @Test
    void holdsOneRecordPerTransaction() {
        log.recordAborted("tx-1", RefusalReason.ALREADY_ABORTED, T0);

        assertThatThrownBy(() -> log.recordPrepared("tx-1", OPERATIONS, T0, T0))
                .isInstanceOf(DuplicateKeyException.class);
        assertThatThrownBy(() -> log.recordAborted("tx-1", RefusalReason.INSUFFICIENT_FUNDS, T0))
                .isInstanceOf(DuplicateKeyException.class);
        ParticipantRecord tombstone = log.find("tx-1").orElseThrow();
        assertThat(tombstone.vote().vote()).isEqualTo(Vote.NO);
        assertThat(tombstone.vote().reason()).isEqualTo(RefusalReason.ALREADY_ABORTED);
    }

    @Test
    void decidesOnlyAPreparedTransactionAndOnlyOnce() {
        log.recordPrepared("tx-1", OPERATIONS, T0, T0);
        log.recordAborted("tx-2", RefusalReason.INSUFFICIENT_FUNDS, T0);

        assertThat(log.decide("tx-1", ParticipantState.COMMITTED, DecidedVia.COORDINATOR, T0))
                .isTrue();
        assertThat(log.decide("tx-1", ParticipantState.COMMITTED, DecidedVia.INQUIRY, T0))
                .isFalse();
        assertThat(log.decide("tx-1", ParticipantState.ABORTED, DecidedVia.COORDINATOR, T0))
                .isFalse();
        assertThat(log.decide("tx-2", ParticipantState.COMMITTED, DecidedVia.COORDINATOR, T0))
                .isFalse();
        assertThat(log.decide("tx-unknown", ParticipantState.ABORTED, DecidedVia.COORDINATOR, T0))
                .isFalse();
        assertThat(log.find("tx-1").orElseThrow().state()).isEqualTo(ParticipantState.COMMITTED);
        assertThat(log.find("tx-1").orElseThrow().decidedVia()).isEqualTo(DecidedVia.COORDINATOR);
        assertThat(log.find("tx-1").orElseThrow().vote().vote())
                .as("a committed record voted yes")
                .isEqualTo(Vote.YES);
        assertThat(log.find("tx-2").orElseThrow().state()).isEqualTo(ParticipantState.ABORTED);
    }

    @Test
    void refusesAnOutcomeThatIsNotAMoveFromPrepared() {
        log.recordPrepared("tx-1", OPERATIONS, T0, T0);

        assertThatThrownBy(() -> log.decide("tx-1", ParticipantState.PREPARED, DecidedVia.COORDINATOR, T0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void listsWhatWasDecidedInAWindowAPageAtATimeWithOperations() {
        log.recordPrepared(
                "committed-early",
                List.of(
                        Operation.credit("carol", new BigDecimal("25.00")),
                        Operation.debit("alice", new BigDecimal("5.00"))),
                T0,
                T0);
        log.decide("committed-early", ParticipantState.COMMITTED, DecidedVia.COORDINATOR, T0.plusSeconds(1));
        log.recordAborted("tombstone", RefusalReason.ALREADY_ABORTED, T0.plusSeconds(2));
        log.recordPrepared("b-same-instant", OPERATIONS, T0, T0);
        log.decide("b-same-instant", ParticipantState.ABORTED, DecidedVia.INQUIRY, T0.plusSeconds(3));
        log.recordPrepared("a-same-instant", OPERATIONS, T0, T0);
        log.decide("a-same-instant", ParticipantState.COMMITTED, DecidedVia.COORDINATOR, T0.plusSeconds(3));
        log.recordPrepared("still-prepared", OPERATIONS, T0, T0);
        log.recordPrepared("after-the-window", OPERATIONS, T0, T0);
        log.decide("after-the-window", ParticipantState.COMMITTED, DecidedVia.COORDINATOR, T0.plusSeconds(10));

        List<DecidedTransaction> first = log.findDecidedBetween(T0, T0.plusSeconds(10), null, null, 2);
        DecidedTransaction last = first.get(first.size() - 1);
        List<DecidedTransaction> second =
                log.findDecidedBetween(T0, T0.plusSeconds(10), last.decidedAt(), last.txId(), 2);

        assertThat(first)
                .extracting(DecidedTransaction::txId, DecidedTransaction::state, DecidedTransaction::decidedAt)
                .containsExactly(
                        tuple("committed-early", ParticipantState.COMMITTED, T0.plusSeconds(1)),
                        tuple("tombstone", ParticipantState.ABORTED, T0.plusSeconds(2)));
        assertThat(first.get(0).net()).isEqualTo(new BigDecimal("20.00"));
        assertThat(first.get(1).net()).isEqualByComparingTo("0");
        assertThat(second).extracting(DecidedTransaction::txId).containsExactly("a-same-instant", "b-same-instant");
        assertThat(log.findDecidedBetween(T0, T0.plusSeconds(10), T0.plusSeconds(3), "b-same-instant", 2))
                .isEmpty();
    }

    @Test
    void offersInDoubtTransactionsForInquiryOnlyWhenDue() {
        log.recordPrepared("tx-1", OPERATIONS, T0, T0.plusSeconds(5));
        log.recordPrepared("tx-2", OPERATIONS, T0, T0.plusSeconds(50));

        assertThat(log.findInDoubtDueForInquiry(T0.plusSeconds(4), 10)).isEmpty();
        assertThat(log.findInDoubtDueForInquiry(T0.plusSeconds(5), 10)).containsExactly("tx-1");
        log.scheduleInquiry("tx-1", 3, T0.plusSeconds(5), "connection refused", T0.plusSeconds(60));
        assertThat(log.findInDoubtDueForInquiry(T0.plusSeconds(55), 10)).containsExactly("tx-2");
        ParticipantRecord asked = log.find("tx-1").orElseThrow();
        assertThat(asked.inquiryAttempts()).isEqualTo(3);
        assertThat(asked.lastInquiryAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(asked.lastInquiryError()).isEqualTo("connection refused");
        log.decide("tx-2", ParticipantState.ABORTED, DecidedVia.INQUIRY, T0);
        assertThat(log.findInDoubtDueForInquiry(T0.plusSeconds(600), 10)).containsExactly("tx-1");
    }

    @Test
    void aHeuristicDecisionKeepsWhoOrderedItAndWhyAcrossAReopen() {
        log.recordPrepared("tx-1", OPERATIONS, T0, T0.plusSeconds(5));

        assertThat(log.decide("tx-1", ParticipantState.ABORTED, DecidedVia.HEURISTIC, T0.plusSeconds(9)))
                .isTrue();
        log.recordHeuristic("tx-1", "ops-anna", "coordinator data lost in incident 42");
        log = reopen();

        ParticipantRecord record = log.find("tx-1").orElseThrow();
        assertThat(record.heuristic()).isTrue();
        assertThat(record.state()).isEqualTo(ParticipantState.ABORTED);
        assertThat(record.heuristicBy()).isEqualTo("ops-anna");
        assertThat(record.heuristicReason()).isEqualTo("coordinator data lost in incident 42");
        assertThat(log.findInDoubtDueForInquiry(T0.plusSeconds(600), 10)).isEmpty();
    }

    @Test
    void everyWriteIsStillThereAfterCloseAndReopen() {
        log.recordPrepared("tx-1", OPERATIONS, T0, T0.plusSeconds(60));
        log.recordPrepared("tx-2", OPERATIONS, T0, T0.plusSeconds(60));
        log.decide("tx-2", ParticipantState.COMMITTED, DecidedVia.COORDINATOR, T0);
        log.recordAborted("tx-3", RefusalReason.UNKNOWN_ACCOUNT, T0);

        log = reopen();

        assertThat(log.find("tx-1").orElseThrow().operations()).containsExactlyElementsOf(OPERATIONS);
        assertThat(log.find("tx-2").orElseThrow().state()).isEqualTo(ParticipantState.COMMITTED);
        assertThat(log.find("tx-3").orElseThrow().reason()).isEqualTo(RefusalReason.UNKNOWN_ACCOUNT);
        assertThat(log.makeAllInDoubtDue(T0)).isEqualTo(1);
        assertThat(log.findInDoubtDueForInquiry(T0, 10)).containsExactly("tx-1");
    }

    @Test
    void retentionDeletesDecidedTransactionsOldestFirstButNeverAPreparedOrHeuristicOne() {
        log.recordPrepared("committed", OPERATIONS, T0, T0);
        log.decide("committed", ParticipantState.COMMITTED, DecidedVia.COORDINATOR, T0.plusSeconds(1));
        log.recordAborted("tombstone", RefusalReason.ALREADY_ABORTED, T0.plusSeconds(2));
        log.recordPrepared("in-doubt", OPERATIONS, T0, T0);
        log.recordPrepared("heuristic", OPERATIONS, T0, T0);
        log.decide("heuristic", ParticipantState.ABORTED, DecidedVia.HEURISTIC, T0.plusSeconds(3));
        log.recordPrepared("young", OPERATIONS, T0, T0);
        log.decide("young", ParticipantState.COMMITTED, DecidedVia.INQUIRY, T0.plusSeconds(60));

        assertThat(log.retireDecided(T0.plusSeconds(30), 1))
                .as("a batch is at most its limit")
                .isEqualTo(1);
        assertThat(log.find("committed")).as("the oldest decision goes first").isEmpty();
        assertThat(log.retireDecided(T0.plusSeconds(30), 10)).isEqualTo(1);
        assertThat(log.retireDecided(T0.plusSeconds(30), 10)).isZero();

        log = reopen();
        assertThat(log.find("tombstone")).isEmpty();
        assertThat(log.find("in-doubt"))
                .hasValueSatisfying(r -> assertThat(r.operations()).containsExactlyElementsOf(OPERATIONS));
        assertThat(log.find("heuristic")).isPresent();
        assertThat(log.find("young")).isPresent();
        // The deleted transaction's operations went with it: its id can be used afresh without a clash.
        log.recordPrepared("committed", OPERATIONS, T0, T0);
        assertThat(log.find("committed").orElseThrow().operations()).containsExactlyElementsOf(OPERATIONS);
    }
}
