package dev.twophase.coordinator.participant;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.moreThanOrExactly;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.twophase.coordinator.log.TransactionLog;
import dev.twophase.coordinator.transaction.Outcome;
import dev.twophase.coordinator.transaction.Transfer;
import dev.twophase.coordinator.transaction.TxState;
import dev.twophase.coordinator.transfer.Transfers;
import dev.twophase.protocol.AbortReason;
import dev.twophase.protocol.TransferStatus;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The real coordinator against two WireMock servers standing in for misbehaving banks: faults a real bank process
 * cannot be made to produce on demand (a 5xx, a reset connection, a response lost after the bank applied the request).
 */
@SpringBootTest
class NetworkFaultsIT {

    private static final WireMockBanks BANKS = new WireMockBanks();
    private static final WireMockServer BANK_A = BANKS.bankA;
    private static final WireMockServer BANK_B = BANKS.bankB;
    private static final String PREPARE = "/2pc/transactions/[^/]+/prepare";
    private static final String COMMIT = "/2pc/transactions/[^/]+/commit";
    private static final String ABORT = "/2pc/transactions/[^/]+/abort";
    private static final Transfer TRANSFER =
            Transfer.between("bank-a", "alice", "bank-b", "bob", new BigDecimal("5.00"));

    @Autowired
    Transfers transfers;

    @Autowired
    TransactionLog transactionLog;

    @Autowired
    JdbcTemplate jdbc;

    @DynamicPropertySource
    static void banks(DynamicPropertyRegistry registry) throws Exception {
        BANKS.start(registry);
    }

    @AfterAll
    static void stopBanks() {
        BANKS.stop();
    }

    @BeforeEach
    void wellBehavedBanks() {
        for (WireMockServer bank : BANKS.both()) {
            bank.resetAll();
            bank.stubFor(post(urlPathMatching(PREPARE)).willReturn(okJson("{\"vote\":\"YES\"}")));
            bank.stubFor(post(urlPathMatching(COMMIT)).willReturn(okJson("{\"state\":\"COMMITTED\"}")));
            bank.stubFor(post(urlPathMatching(ABORT)).willReturn(okJson("{\"state\":\"ABORTED\"}")));
        }
    }

    @Test
    void retriesACommitThatGetsServerErrorsUntilTheBankAcknowledges() {
        BANK_B.stubFor(post(urlPathMatching(COMMIT))
                .inScenario("flaky")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503))
                .willSetStateTo("once"));
        BANK_B.stubFor(post(urlPathMatching(COMMIT))
                .inScenario("flaky")
                .whenScenarioStateIs("once")
                .willReturn(aResponse().withStatus(500))
                .willSetStateTo("healthy"));
        BANK_B.stubFor(post(urlPathMatching(COMMIT))
                .inScenario("flaky")
                .whenScenarioStateIs("healthy")
                .willReturn(okJson("{\"state\":\"COMMITTED\"}")));

        Outcome outcome = transfers.submit(TRANSFER, null).outcome();

        assertThat(outcome.status()).isEqualTo(TransferStatus.COMMITTED);
        awaitEnded(outcome.txId(), TxState.COMMITTED);
        BANK_B.verify(3, postRequestedFor(urlPathMatching(COMMIT)));
    }

    @Test
    void redeliversACommitWhoseAcknowledgementWasLostAfterTheBankAppliedIt() {
        // The bank applies the commit, then the connection drops before the answer: only a retry can tell.
        BANK_A.stubFor(post(urlPathMatching(COMMIT))
                .inScenario("lost")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withFault(Fault.EMPTY_RESPONSE))
                .willSetStateTo("answered"));
        BANK_A.stubFor(post(urlPathMatching(COMMIT))
                .inScenario("lost")
                .whenScenarioStateIs("answered")
                .willReturn(okJson("{\"state\":\"COMMITTED\"}")));

        Outcome outcome = transfers.submit(TRANSFER, null).outcome();

        assertThat(outcome.status()).isEqualTo(TransferStatus.COMMITTED);
        awaitEnded(outcome.txId(), TxState.COMMITTED);
        BANK_A.verify(2, postRequestedFor(urlPathMatching(COMMIT)));
    }

    @Test
    void aBankThatNoLongerKnowsACommitPastItsRetentionCountsAsHavingAcknowledgedIt() {
        // bank-a answers every commit 404: it has no record (it deleted it after applying it, as retention does).
        BANK_A.stubFor(post(urlPathMatching(COMMIT)).willReturn(aResponse().withStatus(404)));

        Outcome outcome = transfers.submit(TRANSFER, null).outcome();
        assertThat(outcome.status()).isEqualTo(TransferStatus.COMMITTED);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> BANK_A.verify(moreThanOrExactly(2), postRequestedFor(urlPathMatching(COMMIT))));
        assertThat(transactionLog.find(outcome.txId()).orElseThrow().state())
                .as("a 404 for a decision younger than the retention period is a failed delivery")
                .isEqualTo(TxState.COMMITTING);

        // As if this coordinator had been away longer than the retention period since it decided.
        jdbc.update(
                "UPDATE transactions SET decided_at = ?, row_version = row_version + 1 WHERE tx_id = ?",
                Timestamp.from(Instant.now().minus(Duration.ofDays(8))),
                outcome.txId());
        transactionLog.makeDeliveriesDue(outcome.txId(), Instant.now());

        awaitEnded(outcome.txId(), TxState.COMMITTED);
    }

    @Test
    void abortsWhenABankAnswersPrepareWithServerErrors() {
        BANK_B.stubFor(post(urlPathMatching(PREPARE)).willReturn(aResponse().withStatus(500)));

        Outcome outcome = transfers.submit(TRANSFER, null).outcome();

        assertThat(outcome.status()).isEqualTo(TransferStatus.ABORTED);
        assertThat(outcome.reason()).isEqualTo(AbortReason.PARTICIPANT_UNAVAILABLE);
        awaitEnded(outcome.txId(), TxState.ABORTED);
        BANK_A.verify(1, postRequestedFor(urlPathMatching(ABORT)));
        BANK_A.verify(0, postRequestedFor(urlPathMatching(COMMIT)));
        BANK_B.verify(0, postRequestedFor(urlPathMatching(COMMIT)));
    }

    @Test
    void abortsWhenABankResetsTheConnectionDuringPrepare() {
        BANK_A.stubFor(
                post(urlPathMatching(PREPARE)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        Outcome outcome = transfers.submit(TRANSFER, null).outcome();

        assertThat(outcome.status()).isEqualTo(TransferStatus.ABORTED);
        assertThat(outcome.reason()).isEqualTo(AbortReason.PARTICIPANT_UNAVAILABLE);
        awaitEnded(outcome.txId(), TxState.ABORTED);
        BANK_B.verify(0, postRequestedFor(urlPathMatching(COMMIT)));
    }

    @Test
    void ignoresAYesThatArrivesAfterThePrepareTimeoutAndAbortsThatBankToo() {
        BANK_B.stubFor(post(urlPathMatching(PREPARE))
                .willReturn(okJson("{\"vote\":\"YES\"}").withFixedDelay(2500)));

        long started = System.nanoTime();
        Outcome outcome = transfers.submit(TRANSFER, null).outcome();
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(outcome.status()).isEqualTo(TransferStatus.ABORTED);
        assertThat(outcome.reason()).isEqualTo(AbortReason.TIMEOUT);
        assertThat(took).isLessThan(Duration.ofMillis(2500));
        // The late YES is a prepared bank: it must hear the abort, or its hold would stay forever.
        awaitEnded(outcome.txId(), TxState.ABORTED);
        BANK_B.verify(1, postRequestedFor(urlPathMatching(ABORT)));
        BANK_B.verify(0, postRequestedFor(urlPathMatching(COMMIT)));
    }

    private void awaitEnded(String txId, TxState end) {
        WireMockBanks.awaitEnded(transactionLog, txId, end);
    }
}
