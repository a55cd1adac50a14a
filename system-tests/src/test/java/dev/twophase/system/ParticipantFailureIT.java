package dev.twophase.system;

import static dev.twophase.system.support.Cluster.BANK_A;
import static dev.twophase.system.support.Cluster.BANK_B;
import static dev.twophase.system.support.Cluster.crashAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.twophase.system.support.AliceAndBobTest;
import dev.twophase.system.support.Api.Reply;
import dev.twophase.system.support.Cluster;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A bank that is down, or too slow to vote, makes the transfer abort within the prepare timeout. */
class ParticipantFailureIT extends AliceAndBobTest {

    /** Prepare timeout plus room for the decision write and a busy 2-core machine. */
    private static final Duration ABORT_DEADLINE = Duration.ofMillis(Cluster.PREPARE_TIMEOUT_MS + 3000);

    @Test
    void abortsWhenABankIsDownAndTellsItOnceItIsBack() {
        cluster.bankB().kill9();

        long started = System.nanoTime();
        Reply reply = api.transfer(BANK_A, alice, BANK_B, bob, "10.00");
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(reply.status()).isEqualTo(409);
        assertThat(reply.text("reason")).isEqualTo("PARTICIPANT_UNAVAILABLE");
        assertThat(took).isLessThan(ABORT_DEADLINE);
        String txId = reply.text("transferId");
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(api.bankState(BANK_A, txId)).isEqualTo("ABORTED"));
        assertThat(ledger.balance(alice).held()).isEqualByComparingTo("0");

        cluster.bankB().start();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(api.bankState(BANK_B, txId)).isEqualTo("ABORTED");
            assertThat(api.fullyAcknowledged(txId)).isTrue();
        });
        assertThat(ledger.total()).isEqualByComparingTo("100.00");
    }

    @Test
    void abortsWithinThePrepareTimeoutWhenABankIsTooSlowToVote() {
        cluster.restart(cluster.bankB(), crashAt("bank.before-prepare"));

        long started = System.nanoTime();
        Reply reply = api.transfer(BANK_A, alice, BANK_B, bob, "10.00");
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(reply.status()).isEqualTo(409);
        assertThat(reply.text("reason")).isEqualTo("TIMEOUT");
        assertThat(took)
                .isGreaterThanOrEqualTo(Duration.ofMillis(Cluster.PREPARE_TIMEOUT_MS))
                .isLessThan(ABORT_DEADLINE);
        String txId = reply.text("transferId");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(api.bankState(BANK_A, txId)).isEqualTo("ABORTED");
            assertThat(ledger.balance(alice).held()).isEqualByComparingTo("0");
        });

        // The slow bank's prepare is frozen; once it is back for real, the abort reaches it and leaves a tombstone.
        cluster.bankB().kill9();
        cluster.bankB().start();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(api.bankState(BANK_B, txId)).isEqualTo("ABORTED");
            assertThat(api.fullyAcknowledged(txId)).isTrue();
        });
        assertThat(ledger.balance(alice).balance()).isEqualByComparingTo("100.00");
        assertThat(ledger.balance(bob).balance()).isEqualByComparingTo("0.00");
    }
}
