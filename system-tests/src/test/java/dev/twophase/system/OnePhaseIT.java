package dev.twophase.system;

import static dev.twophase.system.support.Cluster.BANK_A;
import static dev.twophase.system.support.Cluster.crashAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.twophase.system.support.Api.Reply;
import dev.twophase.system.support.ClusterTest;
import dev.twophase.system.support.ServiceProcess;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The one-phase optimisation: a transfer between two accounts of the same bank is one commit-one-phase message, and
 * the bank decides. A coordinator killed before it records the bank's answer finds the outcome by asking the bank.
 */
class OnePhaseIT extends ClusterTest {

    private static final Duration RESOLVES_WITHIN = Duration.ofSeconds(40);

    private String alice;
    private String carol;

    @BeforeEach
    void openAccountsAtOneBank() {
        alice = ledger.open(BANK_A, "alice", "100.00");
        carol = ledger.open(BANK_A, "carol", "0.00");
    }

    @Test
    void aSameBankTransferIsCommittedByTheBankInOneMessage() {
        Reply reply = api.transfer(BANK_A, alice, BANK_A, carol, "30.00");

        assertThat(reply.status()).isEqualTo(201);
        String txId = reply.text("transferId");
        assertThat(api.bankTransaction(BANK_A, txId).get("state").asString()).isEqualTo("COMMITTED");
        assertThat(api.bankTransaction(BANK_A, txId).get("decidedVia").asString())
                .isEqualTo("ONE_PHASE");
        assertThat(api.fullyAcknowledged(txId)).isTrue();
        assertThat(ledger.balance(alice)).isEqualTo(TransferIT.balance("70.00", "0.00"));
        assertThat(ledger.balance(carol)).isEqualTo(TransferIT.balance("30.00", "0.00"));
    }

    @Test
    void aSameBankOverdraftIsRefusedByTheBankAndMovesNothing() {
        Reply reply = api.transfer(BANK_A, alice, BANK_A, carol, "300.00");

        assertThat(reply.status()).isEqualTo(409);
        assertThat(reply.text("reason")).isEqualTo("INSUFFICIENT_FUNDS");
        assertThat(ledger.balance(alice)).isEqualTo(TransferIT.balance("100.00", "0.00"));
        assertThat(ledger.balance(carol)).isEqualTo(TransferIT.balance("0.00", "0.00"));
    }

    @Test
    void coordinatorKilledAfterTheBankCommittedInOnePhaseRecordsTheCommitAfterRestart() {
        String key = UUID.randomUUID().toString();
        String txId = freezeCoordinatorAt("coordinator.before-one-phase-outcome-logged", key);
        assertThat(api.bankState(BANK_A, txId)).isEqualTo("COMMITTED");
        ServiceProcess coordinator = cluster.coordinator();
        coordinator.kill9();
        coordinator.start();

        await().atMost(RESOLVES_WITHIN)
                .untilAsserted(
                        () -> assertThat(api.getTransfer(txId).text("status")).isEqualTo("COMMITTED"));
        Reply retried = api.transfer(BANK_A, alice, BANK_A, carol, "30.00", key);
        assertThat(retried.status()).isEqualTo(201);
        assertThat(retried.text("transferId")).isEqualTo(txId);
        assertThat(ledger.balance(alice)).isEqualTo(TransferIT.balance("70.00", "0.00"));
        assertThat(ledger.balance(carol)).isEqualTo(TransferIT.balance("30.00", "0.00"));
    }

    @Test
    void coordinatorKilledBeforeTheMessageWasSentAbortsAtTheBankAfterRestart() {
        String key = UUID.randomUUID().toString();
        cluster.restart(cluster.coordinator(), crashAt("coordinator.after-begin-logged"));
        api.transferAsync(BANK_A, alice, BANK_A, carol, "30.00", key);
        cluster.coordinator().awaitCrashPoint("coordinator.after-begin-logged");
        ServiceProcess coordinator = cluster.coordinator();
        coordinator.kill9();
        coordinator.start();

        Reply retried = await().atMost(RESOLVES_WITHIN)
                .until(() -> api.transfer(BANK_A, alice, BANK_A, carol, "30.00", key), r -> r.status() == 409);
        assertThat(retried.text("reason")).isEqualTo("COORDINATOR_RESTARTED");
        String txId = retried.text("transferId");
        // The bank holds a tombstone: a commit-one-phase arriving late can no longer apply.
        assertThat(api.bankState(BANK_A, txId)).isEqualTo("ABORTED");
        assertThat(ledger.balance(alice)).isEqualTo(TransferIT.balance("100.00", "0.00"));
        assertThat(ledger.balance(carol)).isEqualTo(TransferIT.balance("0.00", "0.00"));
    }

    /** Sends a same-bank transfer of 30.00 with {@code key} and freezes the coordinator at {@code point}. */
    private String freezeCoordinatorAt(String point, String key) {
        cluster.restart(cluster.coordinator(), crashAt(point));
        api.transferAsync(BANK_A, alice, BANK_A, carol, "30.00", key);
        cluster.coordinator().awaitCrashPoint(point);
        return api.txIdFor(BANK_A, alice);
    }
}
