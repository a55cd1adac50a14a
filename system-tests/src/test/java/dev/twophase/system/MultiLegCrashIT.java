package dev.twophase.system;

import static dev.twophase.system.support.Cluster.BANK_A;
import static dev.twophase.system.support.Cluster.BANK_B;
import static dev.twophase.system.support.Cluster.BANK_C;
import static dev.twophase.system.support.Cluster.crashAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.twophase.system.support.Api.Leg;
import dev.twophase.system.support.Api.Reply;
import dev.twophase.system.support.ClusterTest;
import dev.twophase.system.support.ServiceProcess;
import dev.twophase.system.support.Store;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * kill -9 in the middle of a transaction of three banks, on each store: a bank killed once it logged PREPARED while
 * another votes NO, and the coordinator killed with two of three acknowledgements logged. Every bank and the
 * coordinator end up agreeing, and each leg moves once or not at all.
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(Store.class)
class MultiLegCrashIT extends ClusterTest {

    private static final Duration RESOLVES_WITHIN = Duration.ofSeconds(30);

    @Parameter
    Store store;

    @Override
    protected Store store() {
        return store;
    }

    @Override
    protected int bankCount() {
        return 3;
    }

    @Test
    void aBankKilledAfterVotingYesWhileAnotherVotesNoEndsAbortedEverywhere() throws Exception {
        ServiceProcess bankB = cluster.bankB();
        ServiceProcess bankC = cluster.bank(BANK_C);
        String payer = ledger.open(BANK_B, "payer", "100.00");
        String poor = ledger.open(BANK_C, "poor", "10.00");
        String payee = ledger.open(BANK_A, "payee", "0.00");
        // bank-c, which will vote NO, is stopped (SIGSTOP) until bank-b has prepared: then bank-b is killed, and only
        // then does bank-c answer. The order is the test's, not the network's.
        bankC.pause();
        var answer = api.transactionAsync(List.of(
                new Leg(BANK_B, payer, "-25.00"), new Leg(BANK_C, poor, "-25.00"), new Leg(BANK_A, payee, "50.00")));
        String txId = await().atMost(RESOLVES_WITHIN)
                .ignoreExceptions()
                .until(() -> api.inDoubtTxIdFor(BANK_B, payer), id -> id != null);
        assertThat(ledger.balance(payer).held()).isEqualByComparingTo("25.00");
        bankB.kill9();
        bankC.resume();

        Reply reply = answer.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(409);
        // bank-c's NO, or bank-b's YES lost with the process if the kill came before it left: an abort either way.
        assertThat(reply.text("reason")).isIn("INSUFFICIENT_FUNDS", "PARTICIPANT_UNAVAILABLE");
        bankB.start();
        await().atMost(RESOLVES_WITHIN).untilAsserted(() -> {
            assertThat(api.bankState(BANK_B, txId)).isEqualTo("ABORTED");
            assertThat(api.bankState(BANK_C, txId)).isEqualTo("ABORTED");
            assertThat(api.fullyAcknowledged(txId)).isTrue();
        });
        assertThat(api.bankState(BANK_A, txId)).isIn("ABORTED", null);
        assertThat(ledger.balance(payer).balance()).isEqualByComparingTo("100.00");
        assertThat(ledger.balance(payer).held()).isEqualByComparingTo("0.00");
        assertThat(ledger.balance(poor).balance()).isEqualByComparingTo("10.00");
        assertThat(ledger.balance(payee).balance()).isEqualByComparingTo("0.00");
    }

    @Test
    void theCoordinatorKilledWithTwoOfThreeAcknowledgementsLoggedFinishesTheThirdAfterRestart() {
        ServiceProcess coordinator = cluster.coordinator();
        ServiceProcess bankC = cluster.bank(BANK_C);
        String alice = ledger.open(BANK_A, "alice", "100.00");
        String bob = ledger.open(BANK_B, "bob", "0.00");
        String fees = ledger.open(BANK_C, "fees", "0.00");
        // bank-c freezes when the commit reaches it: bank-a's and bank-b's acknowledgements are the only ones logged.
        cluster.restart(bankC, crashAt("bank.before-commit-applied"));

        Reply reply = api.transaction(
                List.of(new Leg(BANK_A, alice, "-40.00"), new Leg(BANK_B, bob, "38.00"), new Leg(BANK_C, fees, "2.00")),
                null);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        String txId = reply.text("transactionId");
        bankC.awaitCrashPoint("bank.before-commit-applied");
        await().atMost(RESOLVES_WITHIN).untilAsserted(() -> assertThat(
                        api.getTransaction(txId).body().get("participants").findValuesAsString("acknowledged"))
                .containsExactly("true", "true", "false"));
        coordinator.kill9();
        bankC.kill9();
        bankC.start();
        coordinator.start();

        await().atMost(RESOLVES_WITHIN).untilAsserted(() -> {
            assertThat(api.bankState(BANK_C, txId)).isEqualTo("COMMITTED");
            assertThat(api.fullyAcknowledged(txId)).isTrue();
        });
        assertThat(api.getTransaction(txId).text("status")).isEqualTo("COMMITTED");
        assertThat(ledger.balance(alice).balance()).isEqualByComparingTo("60.00");
        assertThat(ledger.balance(bob).balance()).isEqualByComparingTo("38.00");
        assertThat(ledger.balance(fees).balance()).isEqualByComparingTo("2.00");
        assertThat(ledger.total()).isEqualByComparingTo("100.00");
    }
}
