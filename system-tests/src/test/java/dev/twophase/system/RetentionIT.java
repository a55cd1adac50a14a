package dev.twophase.system;

import static dev.twophase.system.support.Cluster.BANK_A;
import static dev.twophase.system.support.Cluster.BANK_B;
import static dev.twophase.system.support.Cluster.crashAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.twophase.system.support.AliceAndBobTest;
import dev.twophase.system.support.Api.Reply;
import dev.twophase.system.support.ServiceProcess;
import dev.twophase.system.support.Store;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Retention on each store, with the shortest period it allows (one minute): what has ended is deleted at the
 * coordinator and at the banks, a transfer past retention answers a 404 problem that says so, and what is in doubt is
 * never deleted, however old it gets.
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(Store.class)
class RetentionIT extends AliceAndBobTest {

    private static final Duration PERIOD = Duration.ofMinutes(1);

    @Parameter
    Store store;

    @Override
    protected Store store() {
        return store;
    }

    @Override
    protected List<String> clusterArgs() {
        return List.of("--twophase.retention.period=" + PERIOD.toSeconds() + "s", "--twophase.retention.interval=1s");
    }

    @Test
    void endedTransfersAreDeletedEverywhereAfterThePeriodButAnInDoubtOneIsKept() {
        List<String> ended = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Reply committed = api.transfer(BANK_A, alice, BANK_B, bob, "1.00");
            assertThat(committed.status()).isEqualTo(201);
            ended.add(committed.text("transferId"));
        }
        Reply aborted = api.transfer(BANK_A, alice, BANK_B, bob, "500.00");
        assertThat(aborted.status()).isEqualTo(409);
        ended.add(aborted.text("transferId"));
        await().atMost(Duration.ofSeconds(30)).until(() -> ended.stream().allMatch(api::fullyAcknowledged));

        // The coordinator freezes before deciding: both banks hold the transfer PREPARED, in doubt, and keep asking.
        ServiceProcess coordinator = cluster.coordinator();
        cluster.restart(coordinator, crashAt("coordinator.before-decision-logged"));
        api.transferAsync(BANK_A, alice, BANK_B, bob, "40.00");
        coordinator.awaitCrashPoint("coordinator.before-decision-logged");
        String inDoubt = api.inDoubtTxIdFor(BANK_A, alice);

        // Everyone forgets what ended a period ago (the frozen coordinator too: only its deciding thread is stuck), and
        // nothing that is in doubt.
        await().atMost(PERIOD.plusSeconds(60))
                .pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    for (String txId : ended) {
                        assertThat(api.bankTransaction(BANK_A, txId))
                                .as("%s at bank-a", txId)
                                .isNull();
                        assertThat(api.bankTransaction(BANK_B, txId))
                                .as("%s at bank-b", txId)
                                .isNull();
                        Reply gone = api.getTransfer(txId);
                        assertThat(gone.status()).as(txId).isEqualTo(404);
                        assertThat(gone.text("title")).isEqualTo("Transfer past retention");
                    }
                });
        assertThat(retired(coordinator, "transactions")).isGreaterThanOrEqualTo(ended.size());
        assertThat(retired(cluster.bankA(), "participant_records")).isGreaterThanOrEqualTo(ended.size());
        assertThat(retired(cluster.bankB(), "participant_records")).isGreaterThanOrEqualTo(ended.size());
        assertThat(api.bankState(BANK_A, inDoubt)).isEqualTo("PREPARED");
        assertThat(api.bankState(BANK_B, inDoubt)).isEqualTo("PREPARED");
        assertThat(api.getTransfer(inDoubt).text("status")).isEqualTo("PENDING");
        assertThat(ledger.balance(alice).held()).isEqualByComparingTo("40.00");
        assertThat(api.getText(coordinator.url().resolve("/actuator/prometheus")))
                .containsPattern(
                        "twophase_store_size_bytes\\{.*store=\"" + (store == Store.H2 ? "EMBEDDED_H2" : "POSTGRESQL"));

        // The coordinator comes back and aborts what it never decided; that one is kept for a period of its own.
        coordinator.kill9();
        coordinator.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> api.fullyAcknowledged(inDoubt));
        assertThat(api.getTransfer(inDoubt).text("status")).isEqualTo("ABORTED");
        assertThat(ledger.balance(alice).balance()).isEqualByComparingTo("97.00");
        assertThat(ledger.balance(alice).held()).isEqualByComparingTo("0.00");
        assertThat(ledger.balance(bob).balance()).isEqualByComparingTo("3.00");
    }

    private double retired(ServiceProcess service, String what) {
        String metrics = api.getText(service.url().resolve("/actuator/prometheus"));
        Matcher counter = Pattern.compile(
                        "twophase_retention_retired_total\\{[^}]*what=\"" + what + "\"[^}]*\\} (\\S+)")
                .matcher(metrics);
        return counter.find() ? Double.parseDouble(counter.group(1)) : 0;
    }
}
