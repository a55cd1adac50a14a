package dev.twophase.system;

import static dev.twophase.system.support.Cluster.BANK_A;
import static dev.twophase.system.support.Cluster.BANK_B;
import static dev.twophase.system.support.Cluster.crashAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.twophase.system.support.AliceAndBobTest;
import dev.twophase.system.support.Api;
import dev.twophase.system.support.Api.Reply;
import dev.twophase.system.support.Credentials;
import dev.twophase.system.support.ServiceProcess;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The operator actions of the ops dashboard against real processes: each is checked against the log so that no
 * action can make the banks disagree silently, each lands in the audit log, and a heuristic decision that
 * contradicts the coordinator is reported as a heuristic mismatch.
 */
class OperatorActionsIT extends AliceAndBobTest {

    private static final Duration WITHIN = Duration.ofSeconds(30);

    @Test
    void anOperatorAbortsATransactionStuckCollectingVotesAndEveryBankReleasesItsHolds() {
        // The engine freezes just before writing its decision: both banks have prepared and hold the money.
        cluster.restart(cluster.coordinator(), crashAt("coordinator.before-decision-logged"));
        api.transferAsync(BANK_A, alice, BANK_B, bob, "40.00");
        cluster.coordinator().awaitCrashPoint("coordinator.before-decision-logged");
        String txId = api.txIdFor(BANK_A, alice);
        assertThat(ledger.balance(alice).held()).isEqualByComparingTo("40.00");

        Reply aborted = api.operatorAction(txId, "abort", Map.of("reason", "stuck, ticket 7"));

        assertThat(aborted.status()).isEqualTo(200);
        assertThat(aborted.text("result")).isEqualTo("DONE");
        await().atMost(WITHIN).untilAsserted(() -> {
            assertThat(api.bankState(BANK_A, txId)).isEqualTo("ABORTED");
            assertThat(api.bankState(BANK_B, txId)).isEqualTo("ABORTED");
            assertThat(api.fullyAcknowledged(txId)).isTrue();
        });
        assertThat(api.getTransfer(txId).text("reason")).isEqualTo("OPERATOR_ABORTED");
        assertBalances("100.00", "0.00");

        Reply again = api.operatorAction(txId, "abort", Map.of("reason", "once more"));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.text("detail")).contains("already decided");
        assertThat(api.auditLog())
                .filteredOn(entry -> txId.equals(entry.get("txId").asString()))
                .extracting(entry -> entry.get("action").asString() + " "
                        + entry.get("result").asString() + " "
                        + entry.get("actor").asString() + " "
                        + entry.get("reason").asString())
                .containsExactly("ABORT REFUSED ops-anna once more", "ABORT DONE ops-anna stuck, ticket 7");
    }

    @Test
    void aHeuristicAbortAtABankThatContradictsTheCommitIsReportedAsAMismatch() {
        Instant began = Instant.now();
        ServiceProcess bankB = cluster.bankB();
        // bank-b takes the commit message and freezes before applying it; it still answers everything else.
        cluster.restart(bankB, crashAt("bank.before-commit-applied"));
        Reply transfer = api.transfer(BANK_A, alice, BANK_B, bob, "40.00");
        assertThat(transfer.status()).isEqualTo(201);
        String txId = transfer.text("transferId");
        bankB.awaitCrashPoint("bank.before-commit-applied");

        // Through the coordinator: refused, it knows the decision and delivers it instead.
        Reply viaCoordinator = api.operatorAction(
                txId, "heuristic", Map.of("reason", "bank-b stuck", "bankId", BANK_B, "decision", "ABORT"));
        assertThat(viaCoordinator.status()).isEqualTo(409);
        assertThat(viaCoordinator.text("detail")).contains("decided COMMIT");
        assertThat(api.bankState(BANK_B, txId)).isEqualTo("PREPARED");

        // Straight at the bank, logged in as the bank's operator (as without a coordinator): applied, flagged, and
        // recorded under the name that logged in, not the one the body claims.
        Reply atBank = api.sendAsIs(HttpRequest.newBuilder(
                        api.bankUrl(BANK_B, "/2pc/transactions/" + txId + "/heuristic"))
                .header("Content-Type", "application/json")
                .header(
                        "Authorization",
                        Api.basic(
                                Credentials.BANK_OPERATOR, cluster.credentials().bankOperatorPassword()))
                .POST(HttpRequest.BodyPublishers.ofString("{\"decision\":\"ABORT\",\"operator\":\"someone-else\","
                        + "\"reason\":\"coordinator unreachable for hours\"}")));
        assertThat(atBank.status()).isEqualTo(200);
        assertThat(atBank.text("decidedVia")).isEqualTo("HEURISTIC");
        assertThat(atBank.text("heuristicBy")).isEqualTo(Credentials.BANK_OPERATOR);

        // The coordinator's redelivered COMMIT finds the heuristic abort: reported, delivery stops, flagged for good.
        await().atMost(WITHIN).untilAsserted(() -> {
            JsonNode bankBPart = participant(api.getTransfer(txId).body(), BANK_B);
            assertThat(bankBPart.get("heuristic").asString()).isEqualTo("MISMATCH");
            assertThat(api.fullyAcknowledged(txId)).isTrue();
        });
        assertThat(api.getTransfer(txId).text("status")).isEqualTo("COMMITTED");
        List<JsonNode> heuristics = list(api.opsOverview().get("heuristics"));
        assertThat(heuristics)
                .extracting(h -> h.get("txId").asString() + " "
                        + h.get("bankId").asString() + " " + h.get("heuristic").asString() + " "
                        + h.get("bankState").asString())
                .contains(txId + " bank-b MISMATCH ABORTED");
        assertThat(prometheus(cluster.coordinator()))
                .contains("twophase_heuristic_outcomes_total{bank=\"bank-b\",outcome=\"MISMATCH\"} 1.0");
        // The disagreement is real and visible: alice paid, bob was not credited.
        assertBalances("60.00", "0.00");

        // Reconciliation finds it too: the books of bank-a agree with the coordinator's, bank-b's are 40.00 short.
        Reply reconciled =
                api.reconciliation(began.minusSeconds(1), Instant.now().plusSeconds(1));
        assertThat(reconciled.status()).isEqualTo(200);
        assertThat(list(reconciled.body().get("disagreements")))
                .extracting(d -> d.get("txId").asString() + " "
                        + d.get("bankId").asString() + " " + d.get("kind").asString() + " "
                        + d.get("heuristic").asBoolean())
                .containsExactly(txId + " bank-b COMMITTED_HERE_ABORTED_THERE true");
        assertThat(list(reconciled.body().get("totals")))
                .extracting(t -> t.get("bankId").asString() + " "
                        + new BigDecimal(t.get("netHere").asString()).toPlainString() + " "
                        + new BigDecimal(t.get("netThere").asString()).toPlainString())
                .containsExactly("bank-a -40.00 -40.00", "bank-b 40.00 0");
        assertThat(prometheus(cluster.coordinator())).contains("twophase_reconciliation_mismatches 1.0");
    }

    @Test
    void aReconciliationWindowThatIsMalformedTooLongOrPastRetentionIsRefusedNamingTheField() {
        Instant now = Instant.now();
        Map<String, String> bad = Map.of(
                "?from=" + now,
                "to",
                "?from=now&to=" + now,
                "from",
                "?from=" + now + "&to=" + now.minusSeconds(1),
                "to",
                "?from=" + now.minus(Duration.ofHours(2)) + "&to=" + now,
                "to",
                "?from=" + now.minus(Duration.ofDays(8)) + "&to="
                        + now.minus(Duration.ofDays(8)).plusSeconds(60),
                "from");
        bad.forEach((query, field) -> {
            Reply refused = api.get(cluster.coordinator().url().resolve("/api/ops/reconciliation" + query));
            assertThat(refused.status()).as(query).isEqualTo(400);
            assertThat(refused.text("field")).as(query).isEqualTo(field);
        });
    }

    @Test
    void aTransactionLeftInDoubtByAVanishedCoordinatorCanBeDecidedHeuristicallyAndIsAudited() throws Exception {
        int nobody;
        try (ServerSocket socket = new ServerSocket(0)) {
            nobody = socket.getLocalPort();
        }
        // bank-b's coordinator is gone for good: its inquiries go nowhere.
        cluster.restart(cluster.bankB(), "--twophase.coordinator-url=http://localhost:" + nobody);
        String txId = "foreign-" + System.nanoTime();
        Reply vote = api.post(
                api.bankUrl(BANK_B, "/2pc/transactions/" + txId + "/prepare"),
                Map.of("operations", List.of(Map.of("account", bob, "type", "CREDIT", "amount", "5.00"))),
                null);
        assertThat(vote.text("vote")).isEqualTo("YES");

        await().atMost(WITHIN).untilAsserted(() -> {
            JsonNode row = bankInDoubtRow(txId);
            assertThat(row).isNotNull();
            assertThat(row.get("coordinatorAnswers").asString()).isEqualTo("no");
            assertThat(row.get("coordinatorState").isNull()).isTrue();
        });

        Reply missingReason = api.operatorAction(txId, "heuristic", Map.of("bankId", BANK_B, "decision", "COMMIT"));
        assertThat(missingReason.status()).isEqualTo(400);
        assertThat(missingReason.text("field")).isEqualTo("reason");
        assertThat(api.bankState(BANK_B, txId)).isEqualTo("PREPARED");

        Reply decided = api.operatorAction(
                txId,
                "heuristic",
                Map.of(
                        "reason",
                        "old coordinator decommissioned; its log shows COMMIT",
                        "bankId",
                        BANK_B,
                        "decision",
                        "COMMIT"));

        assertThat(decided.status()).isEqualTo(200);
        assertThat(decided.text("action")).isEqualTo("HEURISTIC_COMMIT");
        // The operator was told DONE: a kill -9 of the bank and of the coordinator at once, right now, loses neither
        // the heuristic decision (with its reason and the credit) nor the audit entry.
        cluster.restart(cluster.bankB(), "--twophase.coordinator-url=http://localhost:" + nobody);
        cluster.restart(cluster.coordinator());
        assertCommittedHeuristicallyAtBankB(txId, "old coordinator decommissioned; its log shows COMMIT");
        JsonNode audited = api.auditLog().get(0);
        assertThat(audited.get("txId").asString()).isEqualTo(txId);
        assertThat(audited.get("result").asString()).isEqualTo("DONE");
        JsonNode timeline = api.get(cluster.coordinator().url().resolve("/api/ops/transactions/" + txId))
                .body();
        assertThat(timeline.get("found").asBoolean()).isTrue();
        assertThat(list(timeline.get("timeline")))
                .extracting(e -> e.get("what").asString())
                .contains(
                        "PREPARED logged, voted YES",
                        "COMMITTED (via HEURISTIC)",
                        "HEURISTIC_COMMIT by " + Credentials.OPERATOR + ": DONE");
    }

    /** bank-b holds {@code txId} as COMMITTED by an operator's heuristic decision, with its reason, and bob has 5.00. */
    private void assertCommittedHeuristicallyAtBankB(String txId, String reason) {
        JsonNode atBank = api.bankTransaction(BANK_B, txId);
        assertThat(atBank.get("state").asString()).isEqualTo("COMMITTED");
        assertThat(atBank.get("decidedVia").asString()).isEqualTo("HEURISTIC");
        assertThat(atBank.get("heuristicReason").asString()).isEqualTo(reason);
        assertThat(ledger.balance(bob).balance()).isEqualByComparingTo("5.00");
    }

    private JsonNode bankInDoubtRow(String txId) {
        for (JsonNode bank : api.opsOverview().get("banks")) {
            for (JsonNode row : bank.get("inDoubt")) {
                if (row.get("txId").asString().equals(txId)) {
                    return row;
                }
            }
        }
        return null;
    }

    private static JsonNode participant(JsonNode transfer, String bank) {
        for (JsonNode p : transfer.get("participants")) {
            if (p.get("bankId").asString().equals(bank)) {
                return p;
            }
        }
        throw new AssertionError("no participant " + bank + " in " + transfer);
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> items = new ArrayList<>();
        array.forEach(items::add);
        return items;
    }

    private String prometheus(ServiceProcess service) {
        return api.getText(service.url().resolve("/actuator/prometheus"));
    }

    private void assertBalances(String aliceBalance, String bobBalance) {
        assertThat(ledger.balance(alice).balance()).isEqualByComparingTo(new BigDecimal(aliceBalance));
        assertThat(ledger.balance(bob).balance()).isEqualByComparingTo(new BigDecimal(bobBalance));
        assertThat(ledger.totalHeld()).isEqualByComparingTo("0");
    }
}
