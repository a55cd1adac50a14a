package dev.twophase.system;

import static dev.twophase.system.support.Cluster.BANK_A;
import static dev.twophase.system.support.Cluster.BANK_B;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.twophase.system.support.Api.Reply;
import dev.twophase.system.support.ClusterTest;
import dev.twophase.system.support.Store;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What a service acknowledged survives a kill -9 sent the instant after the answer, on each store. On H2 the services
 * run with H2's file write-outs and checkpoints held back for the whole test, so everything the test wrote is durable
 * only in each store's redo journal when the kill comes, and the restart must redo it. On PostgreSQL it is durable in
 * the server's WAL once the commit returned; the server is not what is killed here (see PostgresOutageIT).
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(Store.class)
class DurabilityIT extends ClusterTest {

    @Parameter
    Store store;

    @Override
    protected Store store() {
        return store;
    }

    @Test
    void balancesAndDecisionsAcknowledgedJustBeforeAKill9SurviveIt() {
        String[] journalOnly = {"--twophase.log.write-out-interval=1h", "--twophase.log.checkpoint-interval=1h"};
        cluster.all().forEach(service -> service.kill9());
        cluster.all().forEach(service -> service.startWithoutWaiting(journalOnly));
        cluster.all().forEach(service -> service.awaitHealthy());
        List<String> accounts = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            accounts.add(ledger.open(BANK_A, "saver", "10.00"));
        }
        String bob = ledger.open(BANK_B, "bob", "0.00");
        List<String> committed = new ArrayList<>();
        for (String account : accounts) {
            Reply reply = api.transfer(BANK_A, account, BANK_B, bob, "1.00");
            assertThat(reply.status()).isEqualTo(201);
            committed.add(reply.text("transferId"));
        }

        // No pause: SIGKILL all three the moment the last answer arrives.
        cluster.all().forEach(service -> service.kill9());
        cluster.all().forEach(service -> service.startWithoutWaiting());
        cluster.all().forEach(service -> service.awaitHealthy());
        if (store == Store.H2) {
            assertThat(cluster.all())
                    .as("H2's files lacked what was acknowledged: every service redid it from its journal")
                    .allMatch(service -> service.currentLog().contains("Redid batches"));
        }

        // Phase 2 is off the client's path: the kill can come before a bank has applied the last commit. That bank
        // restarts with the transaction prepared, and the commit reaches it again (its inquiry, or the coordinator's
        // redelivery), so the balances are checked once that has had time to happen.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String account : accounts) {
                assertThat(ledger.balance(account).balance()).isEqualByComparingTo("9.00");
            }
            assertThat(ledger.balance(bob).balance()).isEqualByComparingTo("20.00");
        });
        for (String txId : committed) {
            assertThat(api.getTransfer(txId).text("status")).isEqualTo("COMMITTED");
        }
    }
}
