package dev.twophase.coordinator.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twophase.coordinator.log.H2TransactionLogs;
import dev.twophase.coordinator.log.TransactionLog;
import dev.twophase.coordinator.transaction.Ballot;
import dev.twophase.coordinator.transaction.HeuristicOutcome;
import dev.twophase.coordinator.transaction.Leg;
import dev.twophase.coordinator.transaction.Transfer;
import dev.twophase.protocol.Decision;
import dev.twophase.protocol.ParticipantState;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard's reads find every bank of a transaction of three banks: the third one's part is kept apart from the
 * first two's columns (V7), and the in-doubt list, the count of unacknowledged deliveries, the undecided list and the
 * heuristic reports must still see it.
 */
class OpsQueriesTest {

    private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
    private static final Transfer THREE_BANKS = new Transfer(List.of(
            new Leg("bank-a", "alice", new BigDecimal("-30.00")),
            new Leg("bank-b", "bob", new BigDecimal("25.00")),
            new Leg("bank-c", "fees", new BigDecimal("5.00"))));
    private static final Map<String, Ballot> ALL_YES =
            Map.of("bank-a", Ballot.YES, "bank-b", Ballot.YES, "bank-c", Ballot.YES);

    @TempDir
    Path dataDir;

    private H2TransactionLogs store;
    private TransactionLog log;
    private OpsQueries queries;

    @BeforeEach
    void open() {
        store = new H2TransactionLogs(dataDir);
        log = store.log();
        queries = new OpsQueries(store.jdbc(), Clock.fixed(T0, ZoneOffset.UTC));
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void theThirdBankOfATransactionIsInDoubtAndCountedLikeTheFirstTwo() {
        log.begin("tx-1", THREE_BANKS, null, "hash", T0);
        log.logDecision("tx-1", Decision.COMMIT, null, ALL_YES, T0, T0);
        log.recordAcknowledgements("tx-1", List.of("bank-a"), T0);
        log.recordDeliveryFailure("tx-1", "bank-c", 2, "connection refused", T0, T0.plusSeconds(5));
        log.findDurable("tx-1");

        assertThat(queries.countUndelivered()).isEqualTo(2);
        assertThat(queries.inDoubtDeliveries())
                .extracting(OpsQueries.InDoubtDelivery::bankId)
                .containsExactly("bank-b", "bank-c");
        OpsQueries.InDoubtDelivery third = queries.inDoubtDeliveries().get(1);
        assertThat(third.attempts()).isEqualTo(2);
        assertThat(third.lastError()).isEqualTo("connection refused");
        assertThat(third.amount()).isEqualByComparingTo("30.00");
    }

    @Test
    void anUndecidedTransactionOfThreeLegsShowsItsLegs() {
        log.begin("tx-1", THREE_BANKS, null, "hash", T0);
        log.findDurable("tx-1");

        assertThat(queries.undecided()).singleElement().satisfies(undecided -> {
            assertThat(undecided.transfer()).isEqualTo(THREE_BANKS);
            assertThat(Overview.side(undecided.transfer(), true)).isEqualTo("bank-a/alice 30.00");
            assertThat(Overview.side(undecided.transfer(), false)).isEqualTo("bank-b/bob 25.00, bank-c/fees 5.00");
        });
    }

    @Test
    void aHeuristicReportedByTheThirdBankIsListed() {
        log.begin("tx-1", THREE_BANKS, null, "hash", T0);
        log.logDecision("tx-1", Decision.COMMIT, null, ALL_YES, T0, T0);
        log.recordAcknowledgements("tx-1", List.of("bank-a", "bank-b"), T0);
        log.recordHeuristicOutcome(
                "tx-1", "bank-c", ParticipantState.ABORTED, HeuristicOutcome.MISMATCH, T0.plusSeconds(3));
        log.findDurable("tx-1");

        assertThat(queries.heuristics()).singleElement().satisfies(report -> {
            assertThat(report.bankId()).isEqualTo("bank-c");
            assertThat(report.heuristic()).isEqualTo(HeuristicOutcome.MISMATCH);
            assertThat(report.bankState()).isEqualTo(ParticipantState.ABORTED);
            assertThat(report.reportedAt()).isEqualTo(T0.plusSeconds(3));
        });
        assertThat(queries.countUndelivered()).isZero();
    }
}
