package dev.twophase.system;

import static dev.twophase.system.support.Cluster.BANK_A;
import static dev.twophase.system.support.Cluster.BANK_B;
import static dev.twophase.system.support.Cluster.crashAt;
import static dev.twophase.system.support.Cluster.haltAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.twophase.system.support.AliceAndBobTest;
import dev.twophase.system.support.Api.Reply;
import dev.twophase.system.support.ServiceProcess;
import dev.twophase.system.support.Store;
import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * kill -9 of the coordinator and of a bank at each step of the protocol, then a restart with the same data
 * directory: both banks must end up agreeing, and money must be conserved and moved at most once.
 * Each crash point freezes the process at an exact step (it prints a marker); the test then sends SIGKILL.
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(Store.class)
class CrashRecoveryIT extends AliceAndBobTest {

    @Parameter
    Store store;

    @Override
    protected Store store() {
        return store;
    }

    private static final Duration RESOLVES_WITHIN = Duration.ofSeconds(30);

    @Test
    void coordinatorKilledBetweenPrepareAndDecisionAbortsOnRestart() {
        ServiceProcess coordinator = cluster.coordinator();
        String txId = freezeCoordinatorAt("coordinator.before-decision-logged");
        assertThat(ledger.balance(alice).held()).isEqualByComparingTo("40.00");
        coordinator.kill9();
        coordinator.start();

        await().atMost(RESOLVES_WITHIN).untilAsserted(() -> {
            assertThat(api.bankState(BANK_A, txId)).isEqualTo("ABORTED");
            assertThat(api.bankState(BANK_B, txId)).isEqualTo("ABORTED");
            assertThat(api.fullyAcknowledged(txId)).isTrue();
        });
        Reply transfer = api.getTransfer(txId);
        assertThat(transfer.text("status")).isEqualTo("ABORTED");
        assertThat(transfer.text("reason")).isEqualTo("COORDINATOR_RESTARTED");
        assertUnchanged();
    }

    @Test
    void coordinatorKilledBetweenDecisionAndAcknowledgementCommitsOnRestart() {
        ServiceProcess coordinator = cluster.coordinator();
        String txId = freezeCoordinatorAt("coordinator.after-decision-logged");
        coordinator.kill9();
        coordinator.start();

        awaitCommittedEverywhere(txId);
        assertMoved("40.00");
    }

    @Test
    void preparedBanksAskTheCoordinatorWhenTheDecisionNeverArrives() {
        ServiceProcess coordinator = cluster.coordinator();
        // The coordinator logs COMMIT and then freezes before telling anyone; only asking can resolve the banks.
        String txId = freezeCoordinatorAt("coordinator.after-decision-logged");

        await().atMost(RESOLVES_WITHIN).untilAsserted(() -> {
            assertThat(api.bankState(BANK_A, txId)).isEqualTo("COMMITTED");
            assertThat(api.bankState(BANK_B, txId)).isEqualTo("COMMITTED");
        });
        assertThat(api.fullyAcknowledged(txId))
                .as("the coordinator delivered nothing")
                .isFalse();
        assertMoved("40.00");

        coordinator.kill9();
        coordinator.start();
        awaitCommittedEverywhere(txId);
        assertMoved("40.00");
    }

    @Test
    void bankKilledBetweenPrepareAndDecisionCommitsAfterRestart() {
        String txId = commitWhileTheDebitedBankIsKilledAt("bank.before-commit-applied");

        awaitCommittedEverywhere(txId);
        assertMoved("40.00");
    }

    @Test
    void bankKilledBetweenCommitAndAcknowledgementDoesNotApplyItTwice() {
        String txId = commitWhileTheDebitedBankIsKilledAt("bank.after-commit-applied");

        awaitCommittedEverywhere(txId);
        assertMoved("40.00");
    }

    /**
     * Restarts the coordinator armed at {@code point}, starts a transfer of 40.00 from alice to bob, and waits until
     * the coordinator is frozen there (the test then kills it). @return the transfer's txId
     */
    private String freezeCoordinatorAt(String point) {
        cluster.restart(cluster.coordinator(), crashAt(point));
        api.transferAsync(BANK_A, alice, BANK_B, bob, "40.00");
        cluster.coordinator().awaitCrashPoint(point);
        return api.txIdFor(BANK_A, alice);
    }

    /** Transfers 40.00 with bank-a armed at {@code point}; kills it there and restarts it. @return the txId */
    private String commitWhileTheDebitedBankIsKilledAt(String point) {
        return commitWhileTheDebitedBankIsKilledAt(point, true);
    }

    private String commitWhileTheDebitedBankIsKilledAt(String point, boolean restart) {
        ServiceProcess bankA = cluster.bankA();
        cluster.restart(bankA, crashAt(point));

        Reply reply = api.transfer(BANK_A, alice, BANK_B, bob, "40.00");
        assertThat(reply.status()).isEqualTo(201);
        bankA.awaitCrashPoint(point);
        bankA.kill9();
        if (restart) {
            bankA.start();
        }
        return reply.text("transferId");
    }

    @Test
    void bankKilledAfterLoggingPreparedBeforeItsVoteArrivesEndsAborted() {
        ServiceProcess bankA = cluster.bankA();
        cluster.restart(bankA, crashAt("bank.after-prepare-logged"));

        Reply reply = api.transfer(BANK_A, alice, BANK_B, bob, "40.00");
        assertThat(reply.status()).isEqualTo(409);
        assertThat(reply.text("reason")).isEqualTo("TIMEOUT");
        String txId = reply.text("transferId");
        bankA.kill9();
        bankA.start();

        await().atMost(RESOLVES_WITHIN).untilAsserted(() -> {
            assertThat(api.bankState(BANK_A, txId)).isEqualTo("ABORTED");
            assertThat(api.fullyAcknowledged(txId)).isTrue();
        });
        assertUnchanged();
    }

    @Test
    void coordinatorKilledBeforeLoggingAnAcknowledgementRedeliversHarmlessly() {
        ServiceProcess coordinator = cluster.coordinator();
        String txId = freezeCoordinatorAt("coordinator.before-ack-logged");
        coordinator.kill9();
        coordinator.start();

        awaitCommittedEverywhere(txId);
        assertMoved("40.00");
    }

    @Test
    void coordinatorDyingAfterOnlyOneBankCommittedFinishesTheOtherAfterRestart() {
        ServiceProcess coordinator = cluster.coordinator();
        ServiceProcess bankB = cluster.bankB();
        // bank-b freezes when the commit reaches it, so bank-a's acknowledgement is the only one that can arrive;
        // the coordinator dies (halts) the moment it does.
        cluster.restart(bankB, crashAt("bank.before-commit-applied"));
        cluster.restart(coordinator, haltAt("coordinator.before-ack-logged"));

        api.transferAsync(BANK_A, alice, BANK_B, bob, "40.00");
        coordinator.awaitCrashPoint("coordinator.before-ack-logged");
        coordinator.awaitExit();
        bankB.awaitCrashPoint("bank.before-commit-applied");
        String txId = api.txIdFor(BANK_A, alice);
        assertThat(api.bankState(BANK_A, txId)).isEqualTo("COMMITTED");
        assertThat(api.bankState(BANK_B, txId)).isEqualTo("PREPARED");
        bankB.kill9();
        bankB.start();
        coordinator.start();

        awaitCommittedEverywhere(txId);
        assertMoved("40.00");
    }

    @Test
    void bankKilledAfterApplyingAnAbortBeforeAcknowledgingItGetsItAgainHarmlessly() {
        ServiceProcess bankB = cluster.bankB();
        cluster.restart(bankB, crashAt("bank.after-abort-applied"));

        // alice cannot pay 500.00: bank-a votes NO, bank-b (the credit) voted YES and must be told to abort.
        Reply reply = api.transfer(BANK_A, alice, BANK_B, bob, "500.00");
        assertThat(reply.status()).isEqualTo(409);
        String txId = reply.text("transferId");
        bankB.awaitCrashPoint("bank.after-abort-applied");
        bankB.kill9();
        bankB.start();

        await().atMost(RESOLVES_WITHIN).untilAsserted(() -> {
            assertThat(api.bankState(BANK_B, txId)).isEqualTo("ABORTED");
            assertThat(api.fullyAcknowledged(txId)).isTrue();
        });
        assertUnchanged();
    }

    @Test
    void coordinatorDyingDuringItsOwnRecoveryFinishesItOnTheNextStart() {
        ServiceProcess coordinator = cluster.coordinator();
        String txId = freezeCoordinatorAt("coordinator.before-decision-logged");
        coordinator.kill9();

        coordinator.startWithoutWaiting(crashAt("coordinator.during-recovery"));
        coordinator.awaitCrashPoint("coordinator.during-recovery");
        coordinator.kill9();
        coordinator.start();

        await().atMost(RESOLVES_WITHIN).untilAsserted(() -> {
            assertThat(api.bankState(BANK_A, txId)).isEqualTo("ABORTED");
            assertThat(api.bankState(BANK_B, txId)).isEqualTo("ABORTED");
            assertThat(api.fullyAcknowledged(txId)).isTrue();
        });
        assertUnchanged();
    }

    @Test
    void bankDyingDuringItsOwnRecoveryKeepsItsHoldsAndCommitsOnTheNextStart() {
        String txId = commitWhileTheDebitedBankIsKilledAt("bank.before-commit-applied", false);

        cluster.bankA().startWithoutWaiting(crashAt("bank.during-recovery"));
        cluster.bankA().awaitCrashPoint("bank.during-recovery");
        cluster.bankA().kill9();
        cluster.bankA().start();

        awaitCommittedEverywhere(txId);
        assertMoved("40.00");
    }

    private void awaitCommittedEverywhere(String txId) {
        await().atMost(RESOLVES_WITHIN).untilAsserted(() -> {
            assertThat(api.bankState(BANK_A, txId)).isEqualTo("COMMITTED");
            assertThat(api.bankState(BANK_B, txId)).isEqualTo("COMMITTED");
            assertThat(api.fullyAcknowledged(txId)).isTrue();
        });
        assertThat(api.getTransfer(txId).text("status")).isEqualTo("COMMITTED");
        assertThat(api.decision(txId)).isEqualTo("COMMIT");
    }

    private void assertMoved(String amount) {
        BigDecimal moved = new BigDecimal(amount);
        assertThat(ledger.balance(alice).balance()).isEqualByComparingTo(new BigDecimal("100.00").subtract(moved));
        assertThat(ledger.balance(bob).balance()).isEqualByComparingTo(moved);
        assertThat(ledger.totalHeld()).isEqualByComparingTo("0");
        assertThat(ledger.total()).isEqualByComparingTo("100.00");
    }

    private void assertUnchanged() {
        assertMoved("0.00");
    }
}
