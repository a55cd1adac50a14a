package dev.twophase.coordinator.participant;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.matching.RequestPatternBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.twophase.coordinator.log.TransactionLog;
import dev.twophase.coordinator.transaction.Outcome;
import dev.twophase.coordinator.transaction.Transfer;
import dev.twophase.coordinator.transaction.TxState;
import dev.twophase.coordinator.transfer.Transfers;
import dev.twophase.protocol.AbortReason;
import dev.twophase.protocol.ProtocolPaths;
import dev.twophase.protocol.TransferStatus;
import java.math.BigDecimal;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * As {@link NetworkFaultsIT}, against WireMock banks that accept {@code POST /2pc/batch}, as real banks do: the
 * coordinator's usual path, where no thread waits for a bank's answer and a retry is started by a timer. One transfer
 * at a time, so every batch carries one message.
 */
@SpringBootTest
class BatchedNetworkFaultsIT {

    private static final WireMockBanks BANKS = new WireMockBanks();
    private static final WireMockServer BANK_A = BANKS.bankA;
    private static final WireMockServer BANK_B = BANKS.bankB;
    private static final Transfer TRANSFER =
            Transfer.between("bank-a", "alice", "bank-b", "bob", new BigDecimal("5.00"));
    private static final String YES = "{\"replies\":[{\"status\":200,\"vote\":\"YES\"}]}";
    private static final String COMMITTED = "{\"replies\":[{\"status\":200,\"state\":\"COMMITTED\"}]}";
    private static final String ABORTED = "{\"replies\":[{\"status\":200,\"state\":\"ABORTED\"}]}";

    @Autowired
    Transfers transfers;

    @Autowired
    TransactionLog transactionLog;

    @DynamicPropertySource
    static void banks(DynamicPropertyRegistry registry) throws Exception {
        BANKS.start(registry);
        // Each test's failures are its own: the breaker must not open on what earlier tests did to bank-b.
        registry.add("resilience4j.circuitbreaker.configs.default.minimum-number-of-calls", () -> "1000");
    }

    @AfterAll
    static void stopBanks() {
        BANKS.stop();
    }

    private static MappingBuilder batchOf(String type) {
        return post(urlPathEqualTo(ProtocolPaths.BATCH))
                .withRequestBody(matchingJsonPath("$.messages[0].type", equalTo(type)));
    }

    private static RequestPatternBuilder batchesOf(String type) {
        return postRequestedFor(urlPathEqualTo(ProtocolPaths.BATCH))
                .withRequestBody(matchingJsonPath("$.messages[0].type", equalTo(type)));
    }

    @BeforeEach
    void wellBehavedBanks() {
        for (WireMockServer bank : BANKS.both()) {
            bank.resetAll();
            bank.stubFor(batchOf("PREPARE").willReturn(okJson(YES)));
            bank.stubFor(batchOf("COMMIT").willReturn(okJson(COMMITTED)));
            bank.stubFor(batchOf("ABORT").willReturn(okJson(ABORTED)));
        }
    }

    @Test
    void aPrepareThatGetsAServerErrorIsRetriedAndTheTransferCommits() {
        BANK_B.stubFor(batchOf("PREPARE")
                .inScenario("flaky")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503))
                .willSetStateTo("healthy"));
        BANK_B.stubFor(batchOf("PREPARE")
                .inScenario("flaky")
                .whenScenarioStateIs("healthy")
                .willReturn(okJson(YES)));

        Outcome outcome = transfers.submit(TRANSFER, null).outcome();

        assertThat(outcome.status()).isEqualTo(TransferStatus.COMMITTED);
        BANK_B.verify(2, batchesOf("PREPARE"));
        awaitEnded(outcome.txId(), TxState.COMMITTED);
    }

    @Test
    void aPrepareThatKeepsFailingAbortsAfterTheConfiguredAttempts() {
        BANK_B.stubFor(batchOf("PREPARE").willReturn(aResponse().withStatus(500)));

        Outcome outcome = transfers.submit(TRANSFER, null).outcome();

        assertThat(outcome.status()).isEqualTo(TransferStatus.ABORTED);
        assertThat(outcome.reason()).isEqualTo(AbortReason.PARTICIPANT_UNAVAILABLE);
        BANK_B.verify(2, batchesOf("PREPARE")); // resilience4j.retry.instances.prepare.max-attempts
        awaitEnded(outcome.txId(), TxState.ABORTED);
        BANK_A.verify(1, batchesOf("ABORT"));
        BANK_B.verify(1, batchesOf("ABORT"));
    }

    @Test
    void aCommitThatGetsServerErrorsIsRetriedUntilTheBankAcknowledges() {
        BANK_B.stubFor(batchOf("COMMIT")
                .inScenario("flaky")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503))
                .willSetStateTo("once"));
        BANK_B.stubFor(batchOf("COMMIT")
                .inScenario("flaky")
                .whenScenarioStateIs("once")
                .willReturn(aResponse().withStatus(500))
                .willSetStateTo("healthy"));
        BANK_B.stubFor(batchOf("COMMIT")
                .inScenario("flaky")
                .whenScenarioStateIs("healthy")
                .willReturn(okJson(COMMITTED)));

        Outcome outcome = transfers.submit(TRANSFER, null).outcome();

        assertThat(outcome.status()).isEqualTo(TransferStatus.COMMITTED);
        awaitEnded(outcome.txId(), TxState.COMMITTED);
        BANK_B.verify(3, batchesOf("COMMIT"));
        BANK_A.verify(1, batchesOf("COMMIT"));
    }

    @Test
    void aBankThatNeverAnswersThePrepareInTimeCountsAsTimedOut() {
        BANK_B.stubFor(batchOf("PREPARE").willReturn(okJson(YES).withFixedDelay(3_000)));
        long started = System.nanoTime();

        Outcome outcome = transfers.submit(TRANSFER, null).outcome();

        assertThat(outcome.status()).isEqualTo(TransferStatus.ABORTED);
        assertThat(outcome.reason()).isEqualTo(AbortReason.TIMEOUT);
        // Phase 1's deadline (1 s) decides, not the two timed-out attempts (1 s each, 100 ms apart): those would take
        // over 2 s.
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(1800));
        awaitEnded(outcome.txId(), TxState.ABORTED);
    }

    private void awaitEnded(String txId, TxState end) {
        WireMockBanks.awaitEnded(transactionLog, txId, end);
    }
}
