package dev.twophase.system;

import static dev.twophase.system.support.Cluster.BANK_A;
import static dev.twophase.system.support.Cluster.BANK_B;
import static dev.twophase.system.support.Cluster.BANK_C;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.twophase.system.support.Api.Leg;
import dev.twophase.system.support.Api.Reply;
import dev.twophase.system.support.ClusterTest;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Transactions of any number of legs (POST /api/transactions) across three real banks: one atomic outcome, every
 * bank's part visible, the leg an abort concerns named, bad legs refused by field. kill -9 in the middle of a
 * three-bank transaction, on each store: {@link MultiLegCrashIT}.
 */
class MultiLegIT extends ClusterTest {

    private static final Duration RESOLVES_WITHIN = Duration.ofSeconds(30);

    @Override
    protected int bankCount() {
        return 3;
    }

    @Test
    void aThreeLegTransactionCommitsAtEveryBankAndShowsEveryBanksPart() {
        String alice = ledger.open(BANK_A, "alice", "100.00");
        String bob = ledger.open(BANK_B, "bob", "0.00");
        String fees = ledger.open(BANK_C, "fees", "0.00");

        Reply reply = api.transaction(
                List.of(new Leg(BANK_A, alice, "-30.00"), new Leg(BANK_B, bob, "25.00"), new Leg(BANK_C, fees, "5")),
                null);

        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        assertThat(reply.text("status")).isEqualTo("COMMITTED");
        String txId = reply.text("transactionId");
        assertThat(reply.body().get("legs").get(2).get("amount").asString()).isEqualTo("5.00");
        await().atMost(RESOLVES_WITHIN).until(() -> api.fullyAcknowledged(txId));
        assertThat(ledger.balance(alice).balance()).isEqualByComparingTo("70.00");
        assertThat(ledger.balance(bob).balance()).isEqualByComparingTo("25.00");
        assertThat(ledger.balance(fees).balance()).isEqualByComparingTo("5.00");
        JsonNode shown = api.getTransaction(txId).body();
        assertThat(shown.get("participants").findValuesAsString("bankId")).containsExactly(BANK_A, BANK_B, BANK_C);
        assertThat(shown.get("participants").findValuesAsString("vote")).containsOnly("YES");
        assertThat(shown.get("participants").get(2).get("legs").get(0).asInt()).isEqualTo(2);
        for (String bank : List.of(BANK_A, BANK_B, BANK_C)) {
            assertThat(api.bankState(bank, txId)).isEqualTo("COMMITTED");
        }
        Reply asTransfer = api.getTransfer(txId);
        assertThat(asTransfer.status()).isEqualTo(404);
        assertThat(asTransfer.text("transaction")).isEqualTo("/api/transactions/" + txId);
    }

    @Test
    void aNoFromOneBankAbortsEveryLegAndNamesTheLegItConcerns() {
        String rich = ledger.open(BANK_A, "rich", "100.00");
        String poor = ledger.open(BANK_C, "poor", "10.00");
        String payee = ledger.open(BANK_B, "payee", "0.00");

        Reply reply = api.transaction(
                List.of(
                        new Leg(BANK_A, rich, "-20.00"),
                        new Leg(BANK_C, poor, "-20.00"),
                        new Leg(BANK_B, payee, "40.00")),
                null);

        assertThat(reply.status()).as(reply.toString()).isEqualTo(409);
        assertThat(reply.text("status")).isEqualTo("ABORTED");
        assertThat(reply.text("reason")).isEqualTo("INSUFFICIENT_FUNDS");
        assertThat(reply.body().get("concerning").get("bank").asString()).isEqualTo(BANK_C);
        assertThat(reply.body().get("concerning").get("legs").get(0).asInt()).isEqualTo(1);
        String txId = reply.text("transactionId");
        await().atMost(RESOLVES_WITHIN).until(() -> api.fullyAcknowledged(txId));
        assertThat(ledger.balance(rich).balance()).isEqualByComparingTo("100.00");
        assertThat(ledger.balance(rich).held()).isEqualByComparingTo("0.00");
        assertThat(ledger.balance(poor).balance()).isEqualByComparingTo("10.00");
        assertThat(ledger.balance(payee).balance()).isEqualByComparingTo("0.00");
    }

    @Test
    void legsAtOneBankGoToItInOnePrepareAndLegsAllAtOneBankTakeOnePhase() {
        String alice = ledger.open(BANK_A, "alice", "100.00");
        String carol = ledger.open(BANK_A, "carol", "0.00");
        String bob = ledger.open(BANK_B, "bob", "0.00");

        Reply twoBanks = api.transaction(
                List.of(new Leg(BANK_A, alice, "-10.00"), new Leg(BANK_A, carol, "4.00"), new Leg(BANK_B, bob, "6.00")),
                null);
        Reply oneBank = api.transaction(List.of(new Leg(BANK_A, alice, "-3.00"), new Leg(BANK_A, carol, "3.00")), null);

        assertThat(twoBanks.status()).as(twoBanks.toString()).isEqualTo(201);
        await().atMost(RESOLVES_WITHIN).until(() -> api.fullyAcknowledged(twoBanks.text("transactionId")));
        JsonNode atBankA = api.bankTransaction(BANK_A, twoBanks.text("transactionId"));
        assertThat(atBankA.get("operations")).hasSize(2);
        assertThat(oneBank.status()).as(oneBank.toString()).isEqualTo(201);
        assertThat(oneBank.body().get("participants")).hasSize(1);
        assertThat(api.bankTransaction(BANK_A, oneBank.text("transactionId"))
                        .get("decidedVia")
                        .asString())
                .isEqualTo("ONE_PHASE");
        assertThat(ledger.balance(alice).balance()).isEqualByComparingTo("87.00");
        assertThat(ledger.balance(carol).balance()).isEqualByComparingTo("7.00");
        assertThat(ledger.balance(bob).balance()).isEqualByComparingTo("6.00");
    }

    @Test
    void badLegsAreRefusedNamingTheFieldAndChangeNothing() {
        String alice = ledger.open(BANK_A, "alice", "100.00");
        String bob = ledger.open(BANK_B, "bob", "0.00");
        Map<String, Object> numberAmount = Map.of(
                "legs",
                List.of(
                        Map.of("bank", BANK_A, "account", alice, "amount", "-5.00"),
                        Map.of("bank", BANK_B, "account", bob, "amount", 5)));
        URI transactions = cluster.coordinator().url().resolve("/api/transactions");

        assertField(
                api.transaction(
                        List.of(
                                new Leg(BANK_A, alice, "-5.00"),
                                new Leg(BANK_B, bob, "2.00"),
                                new Leg(BANK_C, "x", "3.001")),
                        null),
                "legs[2].amount");
        assertField(
                api.transaction(List.of(new Leg(BANK_A, alice, "-5.00"), new Leg(BANK_B, bob, "4.00")), null), "legs");
        assertField(
                api.transaction(List.of(new Leg(BANK_A, alice, "-5.00"), new Leg("bank-z", bob, "5.00")), null),
                "legs[1].bank");
        assertField(api.post(transactions, numberAmount, null), "legs[1].amount");
        assertField(api.post(transactions, Map.of("legs", "all of them"), null), "legs");
        assertThat(ledger.balance(alice).balance()).isEqualByComparingTo("100.00");
        assertThat(ledger.balance(alice).held()).isEqualByComparingTo("0.00");
        assertThat(ledger.balance(bob).balance()).isEqualByComparingTo("0.00");
    }

    @Test
    void anIdempotencyKeyGivesTheSameTransactionAgainAndAnotherBodyUnderItIs422() {
        String alice = ledger.open(BANK_A, "alice", "100.00");
        String bob = ledger.open(BANK_B, "bob", "0.00");
        String fees = ledger.open(BANK_C, "fees", "0.00");
        List<Leg> legs =
                List.of(new Leg(BANK_A, alice, "-11.00"), new Leg(BANK_B, bob, "10.00"), new Leg(BANK_C, fees, "1.00"));

        Reply first = api.transaction(legs, "pay-1");
        Reply again = api.transaction(legs, "pay-1");
        Reply other = api.transaction(
                List.of(new Leg(BANK_A, alice, "-12.00"), new Leg(BANK_B, bob, "11.00"), new Leg(BANK_C, fees, "1.00")),
                "pay-1");
        Reply asTransfer = api.transfer(BANK_A, alice, BANK_B, bob, "11.00", "pay-1");

        assertThat(first.status()).isEqualTo(201);
        assertThat(again.status()).isEqualTo(201);
        await().atMost(RESOLVES_WITHIN).until(() -> api.fullyAcknowledged(first.text("transactionId")));
        assertThat(again.text("transactionId")).isEqualTo(first.text("transactionId"));
        assertThat(other.status()).isEqualTo(422);
        assertThat(other.text("field")).isEqualTo("Idempotency-Key");
        assertThat(asTransfer.status()).isEqualTo(422);
        assertThat(ledger.balance(alice).balance()).isEqualByComparingTo("89.00");
        assertThat(ledger.balance(fees).balance()).isEqualByComparingTo("1.00");
    }

    private static void assertField(Reply reply, String field) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
        assertThat(reply.text("field")).as(reply.toString()).isEqualTo(field);
    }
}
