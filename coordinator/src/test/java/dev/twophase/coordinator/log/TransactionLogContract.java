package dev.twophase.coordinator.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twophase.coordinator.transaction.Ballot;
import dev.twophase.coordinator.transaction.HeuristicOutcome;
import dev.twophase.coordinator.transaction.Leg;
import dev.twophase.coordinator.transaction.Transfer;
import dev.twophase.coordinator.transaction.TxState;
import dev.twophase.protocol.AbortReason;
import dev.twophase.protocol.Decision;
import dev.twophase.protocol.ParticipantState;
import dev.twophase.protocol.RefusalReason;
import dev.twophase.protocol.Vote;
import dev.twophase.protocol.VoteResponse;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DuplicateKeyException;

/** What every {@link TransactionLog} must do; each implementation's test extends this. */
abstract class TransactionLogContract {

    static final Transfer CROSS_BANK = Transfer.between("bank-a", "alice", "bank-b", "bob", new BigDecimal("10.00"));
    static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    static final Owner NODE_1 = new Owner("node-1", 1);
    static final Owner NODE_2 = new Owner("node-2", 1);

    TransactionLog log;
    /** The fencing token of the node the log writes for; a test changes it to act as another node. */
    final AtomicReference<Owner> self = new AtomicReference<>(NODE_1);

    /** A log over fresh storage, or over the storage of the previous {@link #reopen()}. */
    abstract TransactionLog open();

    /** Closes the storage as a stopping process would. */
    abstract void close();

    TransactionLog reopen() {
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
    void beginsATransactionPreparingWithOneEntryPerBank() {
        log.begin("tx-1", CROSS_BANK, "key-1", "hash-1", T0);

        TransactionRecord record = log.find("tx-1").orElseThrow();
        assertThat(record.state()).isEqualTo(TxState.PREPARING);
        assertThat(record.transfer()).isEqualTo(CROSS_BANK);
        assertThat(record.participants()).extracting(ParticipantEntry::bankId).containsExactly("bank-a", "bank-b");
        assertThat(log.findByIdempotencyKey("key-1"))
                .map(TransactionRecord::txId)
                .contains("tx-1");
        assertThat(log.findUndecided()).containsExactly("tx-1");
    }

    @Test
    void readsARangeOfIdsAPageAtATimeInIdOrder() {
        for (String id : List.of("id-3", "id-1", "id-5", "id-2", "id-9")) {
            log.begin(id, CROSS_BANK, null, "hash-" + id, T0);
        }

        List<TransactionRecord> first = log.findByIdRange("id-1", "id-9", "", 2);
        List<TransactionRecord> second =
                log.findByIdRange("id-1", "id-9", first.get(1).txId(), 2);
        List<TransactionRecord> third =
                log.findByIdRange("id-1", "id-9", second.get(1).txId(), 2);

        assertThat(first).extracting(TransactionRecord::txId).containsExactly("id-1", "id-2");
        assertThat(first.get(0).transfer()).isEqualTo(CROSS_BANK);
        assertThat(second).extracting(TransactionRecord::txId).containsExactly("id-3", "id-5");
        assertThat(third).as("the upper bound is exclusive").isEmpty();
    }

    @Test
    void aOnePhaseOutcomeEndsTheTransactionInOneWriteWithTheBanksAcknowledgement() {
        Transfer sameBank = Transfer.between("bank-a", "alice", "bank-a", "carol", new BigDecimal("10.00"));
        log.begin("tx-1", sameBank, null, "hash", T0);

        assertThat(log.logOnePhaseOutcome("tx-1", "bank-a", Decision.COMMIT, null, Ballot.YES, T0))
                .isTrue();
        assertThat(log.logOnePhaseOutcome("tx-1", "bank-a", Decision.ABORT, AbortReason.TIMEOUT, Ballot.YES, T0))
                .as("an outcome is recorded once")
                .isFalse();

        TransactionRecord record = log.findDurable("tx-1").orElseThrow();
        assertThat(record.state()).isEqualTo(TxState.COMMITTED);
        assertThat(record.participants()).singleElement().satisfies(bank -> {
            assertThat(bank.vote()).isEqualTo(Vote.YES);
            assertThat(bank.acknowledged()).isTrue();
        });
        assertThat(log.findUndecided()).isEmpty();
    }

    @Test
    void refusesASecondTransactionWithTheSameIdempotencyKey() {
        log.begin("tx-1", CROSS_BANK, "key-1", "hash-1", T0);

        assertThatThrownBy(() -> log.begin("tx-2", CROSS_BANK, "key-1", "hash-1", T0))
                .isInstanceOf(DuplicateKeyException.class);
        assertThat(log.find("tx-2")).isEmpty();
    }

    @Test
    void logsADecisionOnlyOnce() {
        log.begin("tx-1", CROSS_BANK, null, "hash", T0);

        boolean first = log.logDecision("tx-1", Decision.COMMIT, null, yesFromBoth(), T0, T0);
        boolean second = log.logDecision("tx-1", Decision.ABORT, AbortReason.TIMEOUT, Map.of(), T0, T0);

        assertThat(first).isTrue();
        assertThat(second).isFalse();
        TransactionRecord record = log.find("tx-1").orElseThrow();
        assertThat(record.state()).isEqualTo(TxState.COMMITTING);
        assertThat(record.participants()).extracting(ParticipantEntry::vote).containsOnly(Vote.YES);
    }

    @Test
    void aBankThatVotedNoNeedsNoAbortAndIfNobodyDoesTheTransactionEndsAtOnce() {
        log.begin("tx-1", CROSS_BANK, null, "hash", T0);
        Ballot no = Ballot.of(VoteResponse.no("tx-1", RefusalReason.INSUFFICIENT_FUNDS));

        log.logDecision(
                "tx-1", Decision.ABORT, AbortReason.INSUFFICIENT_FUNDS, Map.of("bank-a", no, "bank-b", no), T0, T0);

        TransactionRecord record = log.find("tx-1").orElseThrow();
        assertThat(record.state()).isEqualTo(TxState.ABORTED);
        assertThat(record.reason()).isEqualTo(AbortReason.INSUFFICIENT_FUNDS);
        assertThat(log.claimDueDeliveries(T0.plusSeconds(60), T0.plusSeconds(90), 10))
                .isEmpty();
    }

    @Test
    void theLastAcknowledgementEndsTheTransactionAndARepeatIsHarmless() {
        log.begin("tx-1", CROSS_BANK, null, "hash", T0);
        log.logDecision("tx-1", Decision.COMMIT, null, yesFromBoth(), T0, T0);

        log.recordAcknowledgement("tx-1", "bank-a", T0);
        assertThat(log.find("tx-1").orElseThrow().state()).isEqualTo(TxState.COMMITTING);
        log.recordAcknowledgement("tx-1", "bank-b", T0);
        log.recordAcknowledgement("tx-1", "bank-b", T0);

        TransactionRecord record = log.find("tx-1").orElseThrow();
        assertThat(record.state()).isEqualTo(TxState.COMMITTED);
        assertThat(record.participants()).allMatch(ParticipantEntry::acknowledged);
    }

    @Test
    void bothBanksAcknowledgedInOneWriteEndTheTransactionAndARepeatIsHarmless() {
        log.begin("tx-1", CROSS_BANK, null, "hash", T0);
        log.logDecision("tx-1", Decision.COMMIT, null, yesFromBoth(), T0, T0);
        log.begin("tx-2", CROSS_BANK, null, "hash", T0);
        log.logDecision("tx-2", Decision.COMMIT, null, yesFromBoth(), T0, T0);

        log.recordAcknowledgements("tx-1", List.of("bank-a", "bank-b"), T0.plusSeconds(1));
        log.recordAcknowledgements("tx-1", List.of("bank-a", "bank-b"), T0.plusSeconds(2));

        TransactionRecord record = log.find("tx-1").orElseThrow();
        assertThat(record.state()).isEqualTo(TxState.COMMITTED);
        assertThat(record.endedAt()).isEqualTo(T0.plusSeconds(1));
        assertThat(record.participants()).allMatch(ParticipantEntry::acknowledged);
        assertThat(log.find("tx-2").orElseThrow().state())
                .as("another transaction's banks are untouched")
                .isEqualTo(TxState.COMMITTING);
        assertThat(log.claimDueDeliveries(T0.plusSeconds(60), T0.plusSeconds(90), 10))
                .extracting(PendingDelivery::txId)
                .containsOnly("tx-2");
    }

    @Test
    void acknowledgementsArrivingTogetherStillEndTheTransaction() throws Exception {
        ExecutorService banks = Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < 50; i++) {
                String txId = "tx-" + i;
                log.begin(txId, CROSS_BANK, null, "hash", T0);
                log.logDecision(txId, Decision.COMMIT, null, yesFromBoth(), T0, T0);
                CountDownLatch start = new CountDownLatch(1);
                Future<?> a = banks.submit(() -> acknowledgeAfter(start, txId, "bank-a"));
                Future<?> b = banks.submit(() -> acknowledgeAfter(start, txId, "bank-b"));
                start.countDown();
                a.get(10, TimeUnit.SECONDS);
                b.get(10, TimeUnit.SECONDS);

                assertThat(log.find(txId).orElseThrow().state()).as(txId).isEqualTo(TxState.COMMITTED);
            }
        } finally {
            banks.shutdownNow();
        }
    }

    private Void acknowledgeAfter(CountDownLatch start, String txId, String bank) throws InterruptedException {
        start.await();
        log.recordAcknowledgement(txId, bank, T0);
        return null;
    }

    @Test
    void leasesDueDeliveriesSoTheyAreNotClaimedTwice() {
        log.begin("tx-1", CROSS_BANK, null, "hash", T0);
        log.logDecision("tx-1", Decision.COMMIT, null, yesFromBoth(), T0, T0);

        assertThat(log.claimDueDeliveries(T0, T0.plusSeconds(10), 10))
                .extracting(PendingDelivery::bankId)
                .containsExactlyInAnyOrder("bank-a", "bank-b");
        assertThat(log.claimDueDeliveries(T0.plusSeconds(5), T0.plusSeconds(15), 10))
                .isEmpty();
        assertThat(log.claimDueDeliveries(T0.plusSeconds(10), T0.plusSeconds(20), 10))
                .hasSize(2);
    }

    @Test
    void aFailedDeliveryIsDueAgainAtItsNextAttempt() {
        log.begin("tx-1", CROSS_BANK, null, "hash", T0);
        log.logDecision("tx-1", Decision.COMMIT, null, yesFromBoth(), T0, T0.plusSeconds(100));
        log.recordAcknowledgement("tx-1", "bank-a", T0);

        log.recordDeliveryFailure("tx-1", "bank-b", 1, "connection refused", T0.plusSeconds(1), T0.plusSeconds(2));

        assertThat(log.claimDueDeliveries(T0.plusSeconds(1), T0.plusSeconds(9), 10))
                .isEmpty();
        assertThat(log.claimDueDeliveries(T0.plusSeconds(2), T0.plusSeconds(9), 10))
                .containsExactly(new PendingDelivery("tx-1", "bank-b", Decision.COMMIT, 1));
        assertThat(log.find("tx-1").orElseThrow().participants().get(1).lastError())
                .isEqualTo("connection refused");
    }

    @Test
    void keepsEveryFailedDeliveryForTheTimeline() {
        log.begin("tx-1", CROSS_BANK, null, "hash", T0);
        log.logDecision("tx-1", Decision.COMMIT, null, yesFromBoth(), T0, T0);

        log.recordDeliveryFailure("tx-1", "bank-b", 1, "connection refused", T0.plusSeconds(1), T0.plusSeconds(2));
        log.recordDeliveryFailure("tx-1", "bank-b", 2, "read timed out", T0.plusSeconds(3), T0.plusSeconds(5));

        assertThat(log.findDeliveryFailures("tx-1"))
                .containsExactly(
                        new DeliveryFailure("tx-1", "bank-b", 1, T0.plusSeconds(1), "connection refused"),
                        new DeliveryFailure("tx-1", "bank-b", 2, T0.plusSeconds(3), "read timed out"));
        assertThat(log.findDeliveryFailures("tx-2")).isEmpty();
    }

    @Test
    void aRetryNowMakesOnlyThatTransactionsUnacknowledgedDeliveriesDue() {
        log.begin("tx-1", CROSS_BANK, null, "hash", T0);
        log.begin("tx-2", CROSS_BANK, null, "hash-2", T0);
        log.logDecision("tx-1", Decision.COMMIT, null, yesFromBoth(), T0, T0.plusSeconds(100));
        log.logDecision("tx-2", Decision.COMMIT, null, yesFromBoth(), T0, T0.plusSeconds(100));
        log.recordAcknowledgement("tx-1", "bank-a", T0);

        assertThat(log.makeDeliveriesDue("tx-1", T0.plusSeconds(1))).isEqualTo(1);

        assertThat(log.claimDueDeliveries(T0.plusSeconds(1), T0.plusSeconds(9), 10))
                .containsExactly(new PendingDelivery("tx-1", "bank-b", Decision.COMMIT, 0));
    }

    @Test
    void aHeuristicMismatchStopsDeliveryEndsTheTransactionAndStaysFlagged() {
        log.begin("tx-1", CROSS_BANK, null, "hash", T0);
        log.logDecision("tx-1", Decision.COMMIT, null, yesFromBoth(), T0, T0);
        log.recordAcknowledgement("tx-1", "bank-a", T0);

        log.recordHeuristicOutcome(
                "tx-1", "bank-b", ParticipantState.ABORTED, HeuristicOutcome.MISMATCH, T0.plusSeconds(4));
        log = reopen();

        TransactionRecord record = log.find("tx-1").orElseThrow();
        assertThat(record.state()).isEqualTo(TxState.COMMITTED);
        ParticipantEntry bankB = record.participants().get(1);
        assertThat(bankB.heuristic()).isEqualTo(HeuristicOutcome.MISMATCH);
        assertThat(bankB.heuristicState()).isEqualTo(ParticipantState.ABORTED);
        assertThat(record.participants().get(0).heuristic()).isNull();
        assertThat(log.claimDueDeliveries(T0.plusSeconds(60), T0.plusSeconds(70), 10))
                .isEmpty();
    }

    @Test
    void everyWriteIsStillThereAfterCloseAndReopen() {
        log.begin("tx-1", CROSS_BANK, "key-1", "hash-1", T0);
        log.begin("tx-2", CROSS_BANK, null, "hash-2", T0);
        log.logDecision("tx-1", Decision.COMMIT, null, yesFromBoth(), T0, T0);
        log.recordAcknowledgement("tx-1", "bank-a", T0);

        log = reopen();

        TransactionRecord decided = log.find("tx-1").orElseThrow();
        assertThat(decided.state()).isEqualTo(TxState.COMMITTING);
        assertThat(decided.participants())
                .extracting(ParticipantEntry::acknowledged)
                .containsExactly(true, false);
        assertThat(log.findUndecided()).containsExactly("tx-2");
        assertThat(log.makeAllDeliveriesDue(T0)).isEqualTo(1);
    }

    @Test
    void retentionDeletesOnlyEndedTransactionsOlderThanTheCutoffWithTheirHistory() {
        endCommitted("tx-1", T0); // old and ended: goes
        log.recordDeliveryFailure("tx-1", "bank-b", 1, "refused", T0, T0);
        log.begin("tx-2", CROSS_BANK, null, "hash", T0); // old, in doubt: stays
        log.logDecision("tx-2", Decision.COMMIT, null, yesFromBoth(), T0, T0);
        log.begin("tx-3", CROSS_BANK, null, "hash", T0); // old, undecided: stays
        endCommitted("tx-4", T0.plusSeconds(120)); // ended after the cutoff: stays
        log.begin("tx-5", CROSS_BANK, "key-5", "hash", T0); // old, ended with a heuristic report: stays
        log.logDecision("tx-5", Decision.COMMIT, null, yesFromBoth(), T0, T0);
        log.recordAcknowledgement("tx-5", "bank-a", T0);
        log.recordHeuristicOutcome("tx-5", "bank-b", ParticipantState.ABORTED, HeuristicOutcome.MISMATCH, T0);
        endCommitted("tx-6", T0); // old and ended, but its id is past the bound: stays for now

        Instant cutoff = T0.plusSeconds(60);
        assertThat(log.retireEnded(cutoff, "tx-6", 10)).isEqualTo(1);
        assertThat(log.retireEnded(cutoff, "tx-6", 10)).isZero();

        log = reopen();
        assertThat(log.find("tx-1")).isEmpty();
        assertThat(log.findDeliveryFailures("tx-1")).isEmpty();
        assertThat(log.find("tx-2")).isPresent();
        assertThat(log.findUndecided()).containsExactly("tx-3");
        assertThat(log.find("tx-4")).isPresent();
        assertThat(log.find("tx-5")).isPresent();
        assertThat(log.retireEnded(cutoff, "tx-7", 10))
                .as("tx-6 once the bound passes it")
                .isEqualTo(1);
    }

    @Test
    void retentionFreesTheIdempotencyKeyOfWhatItDeleted() {
        log.begin("tx-1", CROSS_BANK, "key-1", "hash", T0);
        log.logDecision("tx-1", Decision.COMMIT, null, yesFromBoth(), T0, T0);
        log.recordAcknowledgements("tx-1", List.of("bank-a", "bank-b"), T0);

        assertThat(log.retireEnded(T0.plusSeconds(1), "tx-2", 10)).isEqualTo(1);

        assertThat(log.findByIdempotencyKey("key-1")).isEmpty();
        log.begin("tx-9", CROSS_BANK, "key-1", "hash", T0.plusSeconds(2));
        assertThat(log.findByIdempotencyKey("key-1").map(TransactionRecord::txId))
                .contains("tx-9");
    }

    /** Begins, commits and ends {@code txId}: both banks acknowledged at {@code endedAt}. */
    @Test
    void aNodeThatLostATransactionToATakeoverCanNoLongerDecideItAndItsNewOwnerCan() {
        assertThat(log.begin("tx-1", CROSS_BANK, null, "hash-1", T0)).isEqualTo(NODE_1);

        List<TransactionRecord> taken =
                log.takeOver(new Takeover("takeover-1", NODE_1, NODE_2, T0, T0.plusSeconds(6)), List.of("tx-1"));

        assertThat(taken).extracting(TransactionRecord::owner).containsExactly(NODE_2);
        // The former owner, resumed: its COMMIT is refused and nothing is written.
        assertThatThrownBy(() -> log.logDecision("tx-1", Decision.COMMIT, null, Map.of(), T0, T0))
                .isInstanceOf(NotOwner.class)
                .hasMessageContaining("node-2#1");
        assertThat(log.find("tx-1").orElseThrow().state()).isEqualTo(TxState.PREPARING);
        // The new owner aborts it; the decision stays written once.
        self.set(NODE_2);
        assertThat(log.logDecision("tx-1", Decision.ABORT, AbortReason.COORDINATOR_TAKEN_OVER, Map.of(), T0, T0))
                .isTrue();
        self.set(NODE_1);
        assertThatThrownBy(() -> log.recordAcknowledgements("tx-1", List.of("bank-a", "bank-b"), T0))
                .isInstanceOf(NotOwner.class);
        TransactionRecord record = log.find("tx-1").orElseThrow();
        assertThat(record.state()).isEqualTo(TxState.ABORTING);
        assertThat(record.owner()).isEqualTo(NODE_2);
        assertThat(log.findOwnerChanges("tx-1")).singleElement().satisfies(change -> {
            assertThat(change.from()).isEqualTo(NODE_1);
            assertThat(change.to()).isEqualTo(NODE_2);
            assertThat(change.takeoverId()).isEqualTo("takeover-1");
        });
    }

    @Test
    void aTakeoverTakesOnlyUnfinishedTransactionsStillOwnedByTheFormerOwner() {
        log.begin("tx-1", CROSS_BANK, null, "hash-1", T0);
        endCommitted("tx-2", T0.plusSeconds(1));
        self.set(NODE_2);
        log.begin("tx-3", CROSS_BANK, null, "hash-3", T0);

        // A second survivor racing the first takes nothing the first took.
        Owner third = new Owner("node-3", 4);
        assertThat(log.takeOver(new Takeover("t-1", NODE_1, NODE_2, T0, T0), List.of("tx-1", "tx-2", "tx-3")))
                .extracting(TransactionRecord::txId)
                .containsExactly("tx-1");
        assertThat(log.takeOver(new Takeover("t-2", NODE_1, third, T0, T0), List.of("tx-1")))
                .isEmpty();
        assertThat(log.find("tx-2").orElseThrow().owner()).isEqualTo(NODE_1);
        assertThat(log.find("tx-3").orElseThrow().owner()).isEqualTo(NODE_2);
    }

    @Test
    void eachNodeClaimsOnlyTheDeliveriesAndUndecidedTransactionsItOwns() {
        log.begin("tx-1", CROSS_BANK, null, "hash-1", T0);
        log.logDecision("tx-1", Decision.COMMIT, null, Map.of(), T0, T0);
        log.begin("tx-2", CROSS_BANK, null, "hash-2", T0);

        self.set(NODE_2);
        assertThat(log.claimDueDeliveries(T0.plusSeconds(1), T0.plusSeconds(13), 10))
                .isEmpty();
        assertThat(log.findUndecidedSince(T0.plusSeconds(1), 10)).isEmpty();
        self.set(NODE_1);
        assertThat(log.claimDueDeliveries(T0.plusSeconds(1), T0.plusSeconds(13), 10))
                .extracting(PendingDelivery::txId)
                .containsExactly("tx-1", "tx-1");
        assertThat(log.findUndecidedSince(T0.plusSeconds(1), 10)).containsExactly("tx-2");
    }

    @Test
    void anOperatorsAbortIsWrittenByAnyNodeButOnlyBeforeTheDecision() {
        log.begin("tx-1", CROSS_BANK, null, "hash-1", T0);
        log.begin("tx-2", CROSS_BANK, null, "hash-2", T0);
        log.logDecision("tx-2", Decision.COMMIT, null, Map.of(), T0, T0);

        self.set(NODE_2);
        assertThat(log.logOperatorAbort("tx-1", T0)).isTrue();
        assertThat(log.logOperatorAbort("tx-2", T0)).isFalse();

        assertThat(log.find("tx-1").orElseThrow().state()).isEqualTo(TxState.ABORTING);
        assertThat(log.find("tx-1").orElseThrow().owner()).isEqualTo(NODE_1);
        assertThat(log.find("tx-2").orElseThrow().state()).isEqualTo(TxState.COMMITTING);
        // The owner's own commit, coming second, finds the abort recorded.
        self.set(NODE_1);
        assertThat(log.logDecision("tx-1", Decision.COMMIT, null, Map.of(), T0, T0))
                .isFalse();
    }

    /** Three banks, the third of them (in leg order) kept beyond the from/to columns. */
    static final Transfer THREE_BANKS = new Transfer(List.of(
            new Leg("bank-c", "payer", new BigDecimal("-30.00")),
            new Leg("bank-a", "alice", new BigDecimal("20.00")),
            new Leg("bank-b", "bob", new BigDecimal("7.50")),
            new Leg("bank-a", "fees", new BigDecimal("2.50"))));

    @Test
    void aTransactionOfManyLegsKeepsEveryLegAndEveryBanksPartThroughEveryWrite() {
        log.begin("tx-1", THREE_BANKS, "key-1", "hash", T0);
        assertThat(log.find("tx-1").orElseThrow().transfer()).isEqualTo(THREE_BANKS);
        assertThat(log.find("tx-1").orElseThrow().participants())
                .extracting(ParticipantEntry::bankId)
                .containsExactly("bank-a", "bank-b", "bank-c");

        log.logDecision("tx-1", Decision.COMMIT, null, yesFromAllThree(), T0, T0.plusSeconds(100));
        log.recordAcknowledgements("tx-1", List.of("bank-a", "bank-c"), T0.plusSeconds(1));
        // bank-b is the third bank in leg order: its part is the one kept in more_parts.
        String error = "connection refused\njava.net.ConnectException: \"quoted\" text";
        log.recordDeliveryFailure("tx-1", "bank-b", 1, error, T0.plusSeconds(2), T0.plusSeconds(3));
        log = reopen();

        TransactionRecord decided = log.find("tx-1").orElseThrow();
        assertThat(decided.state()).isEqualTo(TxState.COMMITTING);
        assertThat(decided.transfer()).isEqualTo(THREE_BANKS);
        assertThat(decided.participants()).extracting(ParticipantEntry::vote).containsOnly(Vote.YES);
        assertThat(decided.participants())
                .extracting(ParticipantEntry::acknowledged)
                .containsExactly(true, false, true);
        ParticipantEntry bankB = decided.participants().get(1);
        assertThat(bankB.lastError()).isEqualTo(error);
        assertThat(bankB.attempts()).isEqualTo(1);
        assertThat(bankB.nextAttemptAt()).isEqualTo(T0.plusSeconds(3));
        assertThat(log.claimDueDeliveries(T0.plusSeconds(2), T0.plusSeconds(9), 10))
                .isEmpty();
        assertThat(log.claimDueDeliveries(T0.plusSeconds(3), T0.plusSeconds(9), 10))
                .containsExactly(new PendingDelivery("tx-1", "bank-b", Decision.COMMIT, 1));

        log.recordAcknowledgement("tx-1", "bank-b", T0.plusSeconds(4));
        TransactionRecord ended = log.findDurable("tx-1").orElseThrow();
        assertThat(ended.state()).isEqualTo(TxState.COMMITTED);
        assertThat(ended.endedAt()).isEqualTo(T0.plusSeconds(4));
        assertThat(ended.participants())
                .extracting(ParticipantEntry::acknowledged)
                .containsOnly(true);
    }

    @Test
    void anAbortReachesEveryBankOfManyThatDidNotVoteNo() {
        log.begin("tx-1", THREE_BANKS, null, "hash", T0);

        log.logDecision(
                "tx-1",
                Decision.ABORT,
                AbortReason.INSUFFICIENT_FUNDS,
                Map.of("bank-c", Ballot.of(VoteResponse.no("tx-1", RefusalReason.INSUFFICIENT_FUNDS))),
                T0,
                T0);

        assertThat(log.claimDueDeliveries(T0, T0.plusSeconds(9), 10))
                .containsExactlyInAnyOrder(
                        new PendingDelivery("tx-1", "bank-a", Decision.ABORT, 0),
                        new PendingDelivery("tx-1", "bank-b", Decision.ABORT, 0));
        TransactionRecord record = log.find("tx-1").orElseThrow();
        assertThat(record.participants().get(2).vote()).isEqualTo(Vote.NO);
        assertThat(record.participants().get(2).acknowledged()).isTrue();
    }

    @Test
    void aHeuristicReportedByALaterBankKeepsTheTransactionPastRetention() {
        log.begin("tx-1", THREE_BANKS, null, "hash", T0);
        log.logDecision("tx-1", Decision.COMMIT, null, yesFromAllThree(), T0, T0);
        log.recordAcknowledgements("tx-1", List.of("bank-a", "bank-c"), T0);
        log.recordHeuristicOutcome("tx-1", "bank-b", ParticipantState.ABORTED, HeuristicOutcome.MISMATCH, T0);
        endCommitted("tx-2", T0);

        int retired = log.retireEnded(T0.plusSeconds(60), "tx-9", 100);

        assertThat(retired).isEqualTo(1);
        assertThat(log.find("tx-2")).isEmpty();
        TransactionRecord kept = log.find("tx-1").orElseThrow();
        assertThat(kept.state()).isEqualTo(TxState.COMMITTED);
        assertThat(kept.participants().get(1).heuristic()).isEqualTo(HeuristicOutcome.MISMATCH);
    }

    @Test
    void twoLegsInAnotherOrderThanDebitThenCreditAreKeptAsLegs() {
        Transfer creditFirst = new Transfer(List.of(
                new Leg("bank-b", "bob", new BigDecimal("10.00")),
                new Leg("bank-a", "alice", new BigDecimal("-10.00"))));
        log.begin("tx-1", creditFirst, null, "hash", T0);

        TransactionRecord record = log.find("tx-1").orElseThrow();
        assertThat(record.transfer()).isEqualTo(creditFirst);
        assertThat(record.transfer().asPair()).isEmpty();
    }

    private void endCommitted(String txId, Instant endedAt) {
        log.begin(txId, CROSS_BANK, null, "hash", T0);
        log.logDecision(txId, Decision.COMMIT, null, yesFromBoth(), T0, T0);
        log.recordAcknowledgements(txId, List.of("bank-a", "bank-b"), endedAt);
    }

    private static Map<String, Ballot> yesFromAllThree() {
        return Map.of("bank-a", Ballot.YES, "bank-b", Ballot.YES, "bank-c", Ballot.YES);
    }

    private static Map<String, Ballot> yesFromBoth() {
        return Map.of("bank-a", Ballot.YES, "bank-b", Ballot.YES);
    }
}
