package dev.twophase.coordinator.participant;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.twophase.coordinator.log.ParticipantEntry;
import dev.twophase.coordinator.log.TransactionLog;
import dev.twophase.coordinator.transaction.TxState;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * Two WireMock servers standing in for bank-a and bank-b, and the coordinator settings that point at them: short
 * timeouts and redelivery intervals so that a fault plays out within a test.
 */
final class WireMockBanks {

    final WireMockServer bankA = new WireMockServer(options().dynamicPort());
    final WireMockServer bankB = new WireMockServer(options().dynamicPort());

    /** Starts both servers and registers the coordinator's settings, with a fresh data directory. */
    void start(DynamicPropertyRegistry registry) throws IOException {
        bankA.start();
        bankB.start();
        String dataDir = Files.createTempDirectory("network-faults").toString();
        registry.add("twophase.data-dir", () -> dataDir);
        registry.add("twophase.participants.bank-a", bankA::baseUrl);
        registry.add("twophase.participants.bank-b", bankB::baseUrl);
        registry.add("twophase.prepare-timeout", () -> "1s");
        registry.add("twophase.decision-timeout", () -> "1s");
        registry.add("twophase.redelivery.poll-interval", () -> "50ms");
        registry.add("twophase.redelivery.initial-backoff", () -> "100ms");
        registry.add("twophase.redelivery.max-backoff", () -> "200ms");
    }

    void stop() {
        bankA.stop();
        bankB.stop();
    }

    WireMockServer[] both() {
        return new WireMockServer[] {bankA, bankB};
    }

    /** Waits until the log says {@code txId} ended in {@code end}, every bank having acknowledged the decision. */
    static void awaitEnded(TransactionLog transactionLog, String txId, TxState end) {
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            var record = transactionLog.find(txId).orElseThrow();
            assertThat(record.state()).as("%s", record).isEqualTo(end);
            assertThat(record.participants()).allMatch(ParticipantEntry::acknowledged);
        });
    }
}
