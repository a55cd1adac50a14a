package dev.twophase.coordinator.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.twophase.coordinator.log.Owner;
import dev.twophase.coordinator.log.ParticipantEntry;
import dev.twophase.coordinator.log.TransactionRecord;
import dev.twophase.coordinator.transaction.HeuristicOutcome;
import dev.twophase.coordinator.transaction.Leg;
import dev.twophase.coordinator.transaction.Transfer;
import dev.twophase.coordinator.transaction.TxState;
import dev.twophase.protocol.ParticipantState;
import dev.twophase.protocol.Vote;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ComparisonTest {

    private static final Instant FROM = Instant.parse("2026-12-07T10:00:00Z");
    private static final Instant TO = FROM.plusSeconds(60);
    private static final Instant NOW = TO.plusSeconds(600);
    private static final Duration IN_DOUBT_AFTER = Duration.ofMinutes(5);

    private final Map<String, Decided> bankA = new HashMap<>();
    private final Map<String, Decided> bankB = new HashMap<>();
    private final Map<String, Decided> bankBBeyondItsWindow = new HashMap<>();

    @Test
    void transfersCommittedOnBothSidesAgreeAndAddUpPerBank() {
        bankA.put("t1", committed("-25.00"));
        bankB.put("t1", committed("25.00"));
        bankA.put("t2", committed("-5.00"));
        bankB.put("t2", committed("5.00"));

        Result result = compare(record("t1", TxState.COMMITTED, "25.00"), record("t2", TxState.COMMITTING, "5.00"));

        assertThat(result.disagreements()).isEmpty();
        assertThat(result.totals())
                .extracting(
                        BankTotals::bankId, BankTotals::committedHere, BankTotals::committedThere, BankTotals::agree)
                .containsExactly(tuple("bank-a", 2L, 2L, true), tuple("bank-b", 2L, 2L, true));
        assertThat(result.totals().get(0).netHere()).isEqualByComparingTo("-30.00");
        assertThat(result.totals().get(1).netThere()).isEqualByComparingTo("30.00");
    }

    @Test
    void aCommitTheBankAbortedIsADisagreementMarkedHeuristicWhenTheCoordinatorKnows() {
        bankA.put("t1", committed("-25.00"));
        bankB.put("t1", new Decided(ParticipantState.ABORTED, new BigDecimal("25.00"), FROM.plusSeconds(1)));

        Result result = compare(record("t1", TxState.COMMITTED, "25.00", HeuristicOutcome.MISMATCH));

        assertThat(result.disagreements())
                .extracting(Disagreement::txId, Disagreement::bankId, Disagreement::kind, Disagreement::heuristic)
                .containsExactly(tuple("t1", "bank-b", Disagreement.Kind.COMMITTED_HERE_ABORTED_THERE, true));
        assertThat(result.totals().get(1).agree()).isFalse();
    }

    @Test
    void aCommitTheBankHasNoRecordOfIsADisagreementButOneDecidedThereLaterIsNot() {
        bankA.put("t1", committed("-25.00"));
        bankA.put("t2", committed("-25.00"));
        bankBBeyondItsWindow.put("t2", committed("25.00"));

        Result result = compare(record("t1", TxState.COMMITTED, "25.00"), record("t2", TxState.COMMITTED, "25.00"));

        assertThat(result.disagreements())
                .extracting(Disagreement::txId, Disagreement::bankId, Disagreement::kind)
                .containsExactly(tuple("t1", "bank-b", Disagreement.Kind.COMMITTED_HERE_UNKNOWN_THERE));
    }

    @Test
    void anAbortTheBankCommittedIsADisagreementAndAbortedOrUnknownThereIsNot() {
        bankA.put("t1", committed("-25.00"));
        bankA.put("t2", new Decided(ParticipantState.ABORTED, new BigDecimal("-25.00"), FROM.plusSeconds(1)));

        Result result = compare(
                record("t1", TxState.ABORTED, "25.00"),
                record("t2", TxState.ABORTING, "25.00"),
                record("t3", TxState.ABORTED, "25.00"));

        assertThat(result.disagreements())
                .extracting(Disagreement::txId, Disagreement::bankId, Disagreement::kind)
                .containsExactly(tuple("t1", "bank-a", Disagreement.Kind.ABORTED_HERE_COMMITTED_THERE));
    }

    @Test
    void aDifferentAmountIsADisagreement() {
        bankA.put("t1", committed("-25.00"));
        bankB.put("t1", committed("52.00"));

        Result result = compare(record("t1", TxState.COMMITTED, "25.00"));

        assertThat(result.disagreements())
                .extracting(Disagreement::bankId, Disagreement::kind, Disagreement::netThere)
                .containsExactly(tuple("bank-b", Disagreement.Kind.AMOUNT_DIFFERS, new BigDecimal("52.00")));
    }

    @Test
    void stillPreparedAtABankIsInFlightUntilTheThresholdAndInDoubtAfterIt() {
        bankA.put("young", committed("-1.00"));
        bankA.put("old", committed("-1.00"));
        bankBBeyondItsWindow.put("young", new Decided(ParticipantState.PREPARED, new BigDecimal("1.00"), null));
        bankBBeyondItsWindow.put("old", new Decided(ParticipantState.PREPARED, new BigDecimal("1.00"), null));

        Result result = compare(
                record("young", TxState.COMMITTING, "1.00", null, NOW.minusSeconds(10)),
                record(
                        "old",
                        TxState.COMMITTING,
                        "1.00",
                        null,
                        NOW.minus(IN_DOUBT_AFTER).minusSeconds(1)));

        assertThat(result.disagreements())
                .extracting(Disagreement::txId, Disagreement::kind)
                .containsExactly(tuple("old", Disagreement.Kind.IN_DOUBT_THERE));
    }

    @Test
    void anOldUndecidedTransactionIsReportedOnceWithoutABank() {
        Result result = compare(record("t1", TxState.PREPARING, "1.00"));

        assertThat(result.disagreements())
                .extracting(Disagreement::txId, Disagreement::bankId, Disagreement::kind)
                .containsExactly(tuple("t1", null, Disagreement.Kind.UNDECIDED_HERE));
    }

    @Test
    void aCommitAtABankTheCoordinatorNeverHeardOfIsADisagreementButNotOneFromAnEarlierWindow() {
        bankA.put("stranger", committed("-7.00"));
        bankA.put("earlier", committed("-3.00"));
        bankA.put("next-window", new Decided(ParticipantState.COMMITTED, new BigDecimal("-9.00"), TO.plusSeconds(1)));
        bankA.put("tombstone", new Decided(ParticipantState.ABORTED, BigDecimal.ZERO, FROM.plusSeconds(1)));

        Result result = compare();

        assertThat(result.disagreements())
                .extracting(Disagreement::txId, Disagreement::bankId, Disagreement::kind, Disagreement::netThere)
                .containsExactly(tuple(
                        "stranger", "bank-a", Disagreement.Kind.APPLIED_THERE_UNKNOWN_HERE, new BigDecimal("-7.00")));
        assertThat(result.totals().get(0).netThere()).isEqualByComparingTo("-7.00");
    }

    @Test
    void aReportListsTheFirstThousandDisagreementsAndCountsThemAll() {
        for (int i = 0; i <= Comparison.LISTED; i++) {
            bankA.put("stranger-" + i, committed("-1.00"));
        }
        Map<String, Comparison.BankSide> sides =
                Map.of("bank-a", new Comparison.BankSide(bankA, txId -> Optional.empty()));
        Comparison comparison = new Comparison(TO, NOW, IN_DOUBT_AFTER, sides);

        comparison.finish(txId -> Optional.empty());

        assertThat(comparison.disagreements()).hasSize(Comparison.LISTED);
        assertThat(comparison.disagreementCount()).isEqualTo(Comparison.LISTED + 1L);
    }

    @Test
    void aTransactionOfThreeBanksIsComparedAtEachWithItsOwnLegs() {
        Map<String, Decided> bankC = new HashMap<>();
        bankA.put("t1", committed("-30.00"));
        bankB.put("t1", committed("22.50")); // bob 20.00 + fees 2.50, one transaction there
        bankC.put("t1", committed("5.00")); // 7.50 in the coordinator's log: a leg applied short
        Transfer threeBanks = new Transfer(List.of(
                new Leg("bank-a", "alice", new BigDecimal("-30.00")),
                new Leg("bank-b", "bob", new BigDecimal("20.00")),
                new Leg("bank-c", "carol", new BigDecimal("7.50")),
                new Leg("bank-b", "fees", new BigDecimal("2.50"))));
        TransactionRecord record = new TransactionRecord(
                "t1",
                TxState.COMMITTED,
                threeBanks,
                null,
                null,
                "hash",
                FROM.plusSeconds(1),
                FROM.plusSeconds(2),
                FROM.plusSeconds(3),
                threeBanks.banks().stream()
                        .sorted()
                        .map(bank -> new ParticipantEntry(bank, Vote.YES, null, true, null, 0, null, null, null, null))
                        .toList(),
                new Owner("coordinator-1", 1));
        Map<String, Comparison.BankSide> sides = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, Map<String, Decided>> bank :
                Map.of("bank-a", bankA, "bank-b", bankB, "bank-c", bankC).entrySet()) {
            sides.put(bank.getKey(), new Comparison.BankSide(bank.getValue(), txId -> Optional.empty()));
        }
        Comparison comparison = new Comparison(TO, NOW, IN_DOUBT_AFTER, sides);
        comparison.coordinatorPage(List.of(record));

        List<BankTotals> totals = comparison.finish(txId -> Optional.empty());

        assertThat(comparison.disagreements())
                .extracting(Disagreement::txId, Disagreement::bankId, Disagreement::kind)
                .containsExactly(tuple("t1", "bank-c", Disagreement.Kind.AMOUNT_DIFFERS));
        assertThat(totals)
                .extracting(BankTotals::bankId, BankTotals::agree)
                .containsExactlyInAnyOrder(tuple("bank-a", true), tuple("bank-b", true), tuple("bank-c", false));
    }

    private record Result(List<Disagreement> disagreements, List<BankTotals> totals) {}

    private Result compare(TransactionRecord... here) {
        Map<String, Comparison.BankSide> sides = new java.util.LinkedHashMap<>();
        sides.put("bank-a", new Comparison.BankSide(bankA, txId -> Optional.ofNullable(bankA.get(txId))));
        sides.put(
                "bank-b",
                new Comparison.BankSide(
                        bankB,
                        txId -> Optional.ofNullable(
                                bankB.containsKey(txId) ? bankB.get(txId) : bankBBeyondItsWindow.get(txId))));
        Comparison comparison = new Comparison(TO, NOW, IN_DOUBT_AFTER, sides);
        comparison.coordinatorPage(List.of(here));
        // "earlier" began before the window: the coordinator's log has it, just not among the window's transactions.
        List<BankTotals> totals = comparison.finish(txId ->
                txId.equals("earlier") ? Optional.of(record("earlier", TxState.COMMITTED, "3.00")) : Optional.empty());
        return new Result(comparison.disagreements(), totals);
    }

    private static Decided committed(String net) {
        return new Decided(ParticipantState.COMMITTED, new BigDecimal(net), FROM.plusSeconds(1));
    }

    private static TransactionRecord record(String txId, TxState state, String amount) {
        return record(txId, state, amount, null, FROM.plusSeconds(1));
    }

    private static TransactionRecord record(String txId, TxState state, String amount, HeuristicOutcome heuristic) {
        return record(txId, state, amount, heuristic, FROM.plusSeconds(1));
    }

    private static TransactionRecord record(
            String txId, TxState state, String amount, HeuristicOutcome heuristic, Instant createdAt) {
        return new TransactionRecord(
                txId,
                state,
                Transfer.between("bank-a", "alice", "bank-b", "bob", new BigDecimal(amount)),
                null,
                null,
                "hash",
                createdAt,
                state == TxState.PREPARING ? null : createdAt.plusMillis(5),
                null,
                List.of(
                        new ParticipantEntry("bank-a", Vote.YES, null, false, null, 0, null, null, null, null),
                        new ParticipantEntry(
                                "bank-b",
                                Vote.YES,
                                null,
                                false,
                                null,
                                0,
                                null,
                                null,
                                heuristic,
                                heuristic == null ? null : ParticipantState.ABORTED)),
                new Owner("coordinator-1", 1));
    }
}
