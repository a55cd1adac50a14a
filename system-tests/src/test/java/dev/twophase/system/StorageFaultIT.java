package dev.twophase.system;

import static dev.twophase.system.support.Cluster.BANK_A;
import static dev.twophase.system.support.Cluster.BANK_B;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.twophase.system.support.AliceAndBobTest;
import dev.twophase.system.support.Api.Reply;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The coordinator's log refuses a write (injected with twophase.fault.log-write-failures.*): the transfer must
 * abort or be retried, never half-apply.
 */
class StorageFaultIT extends AliceAndBobTest {

    @Test
    void aTransferThatCannotBeLoggedIsRefusedBeforeAnyBankHearsOfIt() {
        cluster.restart(cluster.coordinator(), "--twophase.fault.log-write-failures.begin=1");

        Reply refused = api.transfer(BANK_A, alice, BANK_B, bob, "10.00");
        Reply retried = api.transfer(BANK_A, alice, BANK_B, bob, "10.00");

        assertThat(refused.status()).isEqualTo(503);
        assertThat(retried.status()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(ledger.balance(alice).balance()).isEqualByComparingTo("90.00");
            assertThat(ledger.balance(bob).balance()).isEqualByComparingTo("10.00");
        });
        assertThat(api.txIdFor(BANK_A, alice)).isEqualTo(retried.text("transferId"));
    }

    @Test
    void aCommitDecisionThatCannotBeWrittenAbortsTheTransfer() {
        cluster.restart(cluster.coordinator(), "--twophase.fault.log-write-failures.decision=1");

        Reply reply = api.transfer(BANK_A, alice, BANK_B, bob, "10.00");

        assertThat(reply.status()).isEqualTo(409);
        assertThat(reply.text("reason")).isEqualTo("DECISION_NOT_LOGGED");
        String txId = reply.text("transferId");
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(api.bankState(BANK_A, txId)).isEqualTo("ABORTED");
            assertThat(api.bankState(BANK_B, txId)).isEqualTo("ABORTED");
            assertThat(api.fullyAcknowledged(txId)).isTrue();
        });
        assertThat(ledger.balance(alice)).isEqualTo(TransferIT.balance("100.00", "0.00"));
        assertThat(ledger.balance(bob)).isEqualTo(TransferIT.balance("0.00", "0.00"));
    }

    @Test
    void anAcknowledgementThatCannotBeWrittenIsRedeliveredAndAppliedOnce() {
        cluster.restart(cluster.coordinator(), "--twophase.fault.log-write-failures.acknowledgement=2");

        Reply reply = api.transfer(BANK_A, alice, BANK_B, bob, "10.00");

        assertThat(reply.status()).isEqualTo(201);
        String txId = reply.text("transferId");
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(api.fullyAcknowledged(txId)).isTrue());
        assertThat(api.getTransfer(txId).text("status")).isEqualTo("COMMITTED");
        assertThat(ledger.balance(alice)).isEqualTo(TransferIT.balance("90.00", "0.00"));
        assertThat(ledger.balance(bob)).isEqualTo(TransferIT.balance("10.00", "0.00"));
    }

    @Test
    void aSlowDecisionWriteKeepsThePreparedBanksWaitingUntilItLands() {
        // Longer than the banks' inquiry delay (2 s): they ask, hear PENDING, and must keep waiting.
        cluster.restart(cluster.coordinator(), "--twophase.fault.log-write-delays.decision=4s");

        long started = System.nanoTime();
        Reply reply = api.transfer(BANK_A, alice, BANK_B, bob, "10.00");
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(reply.status()).isEqualTo(201);
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofSeconds(4));
        String txId = reply.text("transferId");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(api.bankState(BANK_A, txId)).isEqualTo("COMMITTED");
            assertThat(api.bankState(BANK_B, txId)).isEqualTo("COMMITTED");
            assertThat(api.fullyAcknowledged(txId)).isTrue();
        });
        assertThat(ledger.balance(alice)).isEqualTo(TransferIT.balance("90.00", "0.00"));
        assertThat(ledger.balance(bob)).isEqualTo(TransferIT.balance("10.00", "0.00"));
    }

    @Test
    void aBankThatCannotWriteItsPreparedRecordGivesNoVoteAndTheTransferAborts() {
        // Two failures: the first prepare and the coordinator's immediate retry.
        cluster.restart(cluster.bankA(), "--twophase.fault.log-write-failures.prepared=2");

        Reply reply = api.transfer(BANK_A, alice, BANK_B, bob, "10.00");

        assertThat(reply.status()).isEqualTo(409);
        assertThat(reply.text("reason")).isEqualTo("PARTICIPANT_UNAVAILABLE");
        String txId = reply.text("transferId");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(api.bankState(BANK_A, txId)).isEqualTo("ABORTED");
            assertThat(api.fullyAcknowledged(txId)).isTrue();
        });
        assertThat(ledger.balance(alice)).isEqualTo(TransferIT.balance("100.00", "0.00"));
        assertThat(ledger.balance(bob)).isEqualTo(TransferIT.balance("0.00", "0.00"));
    }

    @Test
    void aBankCommitWhoseWriteFailsIsRetriedAndAppliedOnce() {
        cluster.restart(cluster.bankA(), "--twophase.fault.log-write-failures.decision=1");

        Reply reply = api.transfer(BANK_A, alice, BANK_B, bob, "10.00");

        assertThat(reply.status()).isEqualTo(201);
        String txId = reply.text("transferId");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(api.bankState(BANK_A, txId)).isEqualTo("COMMITTED");
            assertThat(api.fullyAcknowledged(txId)).isTrue();
        });
        assertThat(ledger.balance(alice)).isEqualTo(TransferIT.balance("90.00", "0.00"));
        assertThat(ledger.balance(bob)).isEqualTo(TransferIT.balance("10.00", "0.00"));
    }
}
