package dev.twophase.coordinator.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.twophase.coordinator.log.DeliveryFailure;
import dev.twophase.coordinator.log.Owner;
import dev.twophase.coordinator.log.OwnerChange;
import dev.twophase.coordinator.log.ParticipantEntry;
import dev.twophase.coordinator.log.TransactionRecord;
import dev.twophase.coordinator.transaction.Transfer;
import dev.twophase.coordinator.transaction.TxState;
import dev.twophase.protocol.AbortReason;
import dev.twophase.protocol.Operation;
import dev.twophase.protocol.ParticipantState;
import dev.twophase.protocol.ParticipantTransaction;
import dev.twophase.protocol.Vote;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TimelineTest {

    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private static final Transfer TRANSFER =
            Transfer.between("bank-a", "alice", "bank-b", "bob", new BigDecimal("40.00"));

    @Test
    void putsEveryRecordOfTheCoordinatorTheBanksAndTheOperatorsInTimeOrder() {
        TransactionRecord record = new TransactionRecord(
                "tx-1",
                TxState.COMMITTING,
                TRANSFER,
                null,
                null,
                "hash",
                T0,
                T0.plusMillis(40),
                null,
                List.of(
                        entry("bank-a", true, T0.plusMillis(60), 0, null),
                        entry("bank-b", false, null, 2, "connection refused")),
                new Owner("coordinator-1", 1));
        List<DeliveryFailure> failures = List.of(
                new DeliveryFailure("tx-1", "bank-b", 1, T0.plusSeconds(1), "read timed out"),
                new DeliveryFailure("tx-1", "bank-b", 2, T0.plusSeconds(3), "connection refused"));
        Map<String, Timeline.BankView> banks = Map.of(
                "bank-a",
                new Timeline.BankView(bankRecord("bank-a", ParticipantState.COMMITTED, T0.plusMillis(50)), null),
                "bank-b",
                new Timeline.BankView(null, "connection refused"));
        List<AuditEntry> audit = List.of(new AuditEntry(
                1,
                T0.plusSeconds(2),
                "anna",
                OperatorAction.RETRY_DELIVERY,
                "tx-1",
                null,
                "bank-b back",
                AuditEntry.Result.DONE,
                "1 delivery(ies) of COMMIT due now"));

        List<Timeline.Event> events = Timeline.of(record, failures, List.of(), banks, audit);

        assertThat(events)
                .extracting(Timeline.Event::source, Timeline.Event::what)
                .containsExactly(
                        tuple("coordinator", "PREPARING logged"),
                        tuple("bank-a", "PREPARED logged, voted YES"),
                        tuple("coordinator", "COMMIT logged"),
                        tuple("bank-a", "COMMITTED (via COORDINATOR)"),
                        tuple("coordinator", "bank-a acknowledged"),
                        tuple("coordinator", "delivery to bank-b failed (attempt 1)"),
                        tuple("operator", "RETRY_DELIVERY by anna: DONE"),
                        tuple("coordinator", "delivery to bank-b failed (attempt 2)"),
                        tuple("coordinator", "bank-b has not acknowledged"),
                        tuple("bank-b", "record unreadable"));
        assertThat(events.get(1).detail()).isEqualTo("debit alice 40.00");
        assertThat(events.get(2).detail()).isEqualTo("votes: bank-a YES, bank-b YES");
        assertThat(events)
                .filteredOn(Timeline.Event::problem)
                .extracting(Timeline.Event::source)
                .containsExactly("coordinator", "coordinator", "coordinator", "bank-b");
    }

    @Test
    void flagsAHeuristicDecisionWithWhoOrderedItAndWhy() {
        ParticipantTransaction heuristic = new ParticipantTransaction(
                "tx-2",
                ParticipantState.ABORTED,
                List.of(Operation.debit("bob", new BigDecimal("5.00"))),
                null,
                T0,
                T0.plusSeconds(60),
                "HEURISTIC",
                4,
                T0.plusSeconds(50),
                "connection refused",
                "anna",
                "coordinator gone");

        List<Timeline.Event> events = Timeline.of(
                null, List.of(), List.of(), Map.of("bank-b", new Timeline.BankView(heuristic, null)), List.of());

        assertThat(events)
                .extracting(Timeline.Event::what)
                .containsExactly(
                        "PREPARED logged, voted YES",
                        "asked the coordinator (4 inquiry(ies) so far)",
                        "ABORTED (via HEURISTIC)");
        assertThat(events.get(2).detail()).isEqualTo("HEURISTIC by anna: coordinator gone");
        assertThat(events.get(2).problem()).isTrue();
    }

    @Test
    void showsTheNodeThatBeganATransactionAndEachTakeoverOfIt() {
        Owner began = new Owner("coordinator-1", 3);
        Owner took = new Owner("coordinator-2", 1);
        TransactionRecord record = new TransactionRecord(
                "tx-1",
                TxState.ABORTING,
                TRANSFER,
                AbortReason.COORDINATOR_TAKEN_OVER,
                null,
                "hash",
                T0,
                T0.plusSeconds(6),
                null,
                List.of(entry("bank-a", false, null, 0, null), entry("bank-b", false, null, 0, null)),
                took);
        List<OwnerChange> changes = List.of(new OwnerChange("tx-1", "takeover-1", began, took, T0.plusSeconds(6)));

        List<Timeline.Event> events = Timeline.of(record, List.of(), changes, Map.of(), List.of());

        assertThat(events.get(0).detail()).endsWith("by node coordinator-1#3");
        assertThat(events.get(1).what()).isEqualTo("taken over by node coordinator-2#1");
        assertThat(events.get(1).detail()).contains("from node coordinator-1#3").contains("takeover-1");
        assertThat(events.get(2).what()).isEqualTo("ABORT logged (COORDINATOR_TAKEN_OVER)");
    }

    private static ParticipantEntry entry(
            String bank, boolean acknowledged, Instant acknowledgedAt, int attempts, String lastError) {
        return new ParticipantEntry(
                bank, Vote.YES, null, acknowledged, acknowledgedAt, attempts, lastError, null, null, null);
    }

    private static ParticipantTransaction bankRecord(String bank, ParticipantState state, Instant decidedAt) {
        return new ParticipantTransaction(
                "tx-1",
                state,
                List.of(Operation.debit("alice", new BigDecimal("40.00"))),
                null,
                T0.plusMillis(20),
                decidedAt,
                "COORDINATOR",
                0,
                null,
                null,
                null,
                null);
    }
}
