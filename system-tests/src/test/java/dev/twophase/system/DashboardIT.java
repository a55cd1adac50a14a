package dev.twophase.system;

import static dev.twophase.system.support.Cluster.BANK_A;
import static dev.twophase.system.support.Cluster.BANK_B;
import static dev.twophase.system.support.Cluster.crashAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.twophase.system.support.AliceAndBobTest;
import dev.twophase.system.support.Api;
import dev.twophase.system.support.Api.Reply;
import dev.twophase.system.support.Browser;
import dev.twophase.system.support.Credentials;
import dev.twophase.system.support.ServiceProcess;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The ops dashboard in a real headless Chromium against real processes: a transfer left in doubt by a stopped bank
 * appears with the right bank and its age, an operator retries it (confirmed in the dialog, found in the audit
 * log), and it resolves once the bank is back. Screenshots go to target/dashboard-*.png.
 */
class DashboardIT extends AliceAndBobTest {

    private static final Duration WITHIN = Duration.ofSeconds(30);
    private static final int STALE_AFTER_SECONDS = 3;

    private Browser browser;

    @Override
    protected List<String> clusterArgs() {
        return List.of(
                "--twophase.dashboard.stale-after=" + STALE_AFTER_SECONDS + "s",
                "--twophase.dashboard.bank-poll-interval=500ms");
    }

    @BeforeAll
    void openBrowser() {
        browser = Browser.headlessChromium();
    }

    @AfterAll
    void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void aTransferLeftInDoubtByAStoppedBankAppearsWithItsBankAndAgeAndResolvesWhenTheBankIsBack() {
        ServiceProcess bankB = cluster.bankB();
        cluster.restart(bankB, crashAt("bank.before-commit-applied"));
        Instant sent = Instant.now();
        Reply transfer = api.transfer(BANK_A, alice, BANK_B, bob, "40.00");
        assertThat(transfer.status()).isEqualTo(201);
        String txId = transfer.text("transferId");
        bankB.awaitCrashPoint("bank.before-commit-applied");
        bankB.kill9();

        browser.openAs(
                cluster.coordinator().url().resolve("/dashboard"),
                Credentials.OPERATOR,
                cluster.credentials().operatorPassword());
        String row = "#in-doubt tr[data-tx='" + txId + "'][data-bank='bank-b']";
        await().atMost(WITHIN).ignoreExceptions().untilAsserted(() -> {
            WebElement inDoubt = browser.find(row);
            assertThat(inDoubt.findElement(By.cssSelector(".bank")).getText()).isEqualTo("bank-b");
            assertThat(inDoubt.findElement(By.cssSelector(".decision")).getText())
                    .isEqualTo("COMMIT");
            long age =
                    Long.parseLong(inDoubt.findElement(By.cssSelector(".age")).getAttribute("data-seconds"));
            assertThat(age).isBetween(0L, Duration.between(sent, Instant.now()).toSeconds() + 1);
        });
        // The header names the user and their role, nothing of Spring Security's vocabulary.
        assertThat(browser.find("#user").getText()).isEqualTo(Credentials.OPERATOR + " (operator)");
        // bank-a acknowledged, so only bank-b is listed; bank-b shows as unreachable in the banks panel, why in
        // words, the exception one click away.
        assertThat(browser.findAll("#in-doubt tr[data-tx='" + txId + "']")).hasSize(1);
        await().atMost(WITHIN).ignoreExceptions().untilAsserted(() -> {
            WebElement reachable = browser.find("#banks tr[data-bank='bank-b'] .reachable");
            assertThat(reachable.getText()).startsWith("UNREACHABLE");
            assertThat(reachable.findElement(By.cssSelector(".words")).getText())
                    .isEqualTo("connection refused");
            assertThat(reachable.getText()).doesNotContain("org.springframework");
            assertThat(reachable.findElement(By.cssSelector("details")).getAttribute("textContent"))
                    .contains("ResourceAccessException");
        });
        await().atMost(WITHIN).ignoreExceptions().untilAsserted(() -> assertThat(
                        browser.find(row + " .last-error .words").getText())
                .matches("connection refused|circuit open since \\d\\d:\\d\\d:\\d\\d UTC: .*"));
        // Past the threshold the row stands out.
        await().atMost(WITHIN).ignoreExceptions().untilAsserted(() -> assertThat(
                        browser.find(row).getAttribute("class"))
                .contains("stale"));

        // An operator action, confirmed in the dialog that explains its risk, and found in the audit log.
        browser.find(row + " button.retry").click();
        await().atMost(WITHIN)
                .untilAsserted(() ->
                        assertThat(browser.find("#action-dialog").isDisplayed()).isTrue());
        assertThat(browser.find("#action-risk").getText()).contains("cannot change the outcome");
        browser.find("#action-reason").sendKeys("bank-b restarted by the on-call team");
        browser.find("#action-confirm").click();
        await().atMost(WITHIN).ignoreExceptions().untilAsserted(() -> {
            WebElement entry = browser.find("#audit tr[data-tx='" + txId + "']");
            assertThat(entry.findElement(By.cssSelector(".actor")).getText()).isEqualTo(Credentials.OPERATOR);
            assertThat(entry.findElement(By.cssSelector(".action")).getText()).isEqualTo("RETRY_DELIVERY");
            assertThat(entry.findElement(By.cssSelector(".result")).getText()).isEqualTo("DONE");
            assertThat(entry.findElement(By.cssSelector(".reason")).getText())
                    .isEqualTo("bank-b restarted by the on-call team");
        });
        browser.screenshot("dashboard-in-doubt");

        bankB.start();
        await().atMost(WITHIN).ignoreExceptions().untilAsserted(() -> {
            assertThat(browser.findAll(row)).isEmpty();
            assertThat(browser.find("#banks tr[data-bank='bank-b'] .reachable").getText())
                    .isEqualTo("reachable");
            assertThat(browser.find("#in-doubt tr.empty").getText()).isEqualTo("nothing in doubt");
        });
        assertThat(api.fullyAcknowledged(txId)).isTrue();
        assertThat(ledger.balance(bob).balance()).isEqualByComparingTo("40.00");

        // The timeline tells the whole story, bank records and the operator's action included.
        browser.find("#search-id").clear();
        browser.find("#search-id").sendKeys(txId);
        browser.find("#search button").click();
        await().atMost(WITHIN).ignoreExceptions().untilAsserted(() -> assertThat(
                        browser.findAll("#timeline td.what").stream()
                                .map(WebElement::getText)
                                .toList())
                .contains(
                        "PREPARING logged",
                        "COMMIT logged",
                        "bank-b acknowledged",
                        "RETRY_DELIVERY by " + Credentials.OPERATOR + ": DONE",
                        "COMMITTED (ended)")
                .anyMatch(what -> what.startsWith("delivery to bank-b failed")));
        assertThat(browser.find("#timeline-summary").getText())
                .isEqualTo(txId + " — COMMITTED · bank-a/" + alice + " → bank-b/" + bob + " 40.00");
        browser.screenshot("dashboard-resolved");

        // Reconciliation, run from its panel over the last 15 minutes: the transfer counted on both sides, in
        // agreement.
        browser.find("#reconcile button").click();
        await().atMost(WITHIN).ignoreExceptions().untilAsserted(() -> {
            assertThat(browser.find("#reconciliation-summary strong").getText()).isEqualTo("The books agree");
            assertThat(browser.find("#reconciliation-totals tr[data-bank='bank-b'] .net-here")
                            .getText())
                    .isEqualTo(browser.find("#reconciliation-totals tr[data-bank='bank-b'] .net-there")
                            .getText());
            assertThat(browser.find("#reconciliation-totals tr[data-bank='bank-b'] .verdict")
                            .getText())
                    .isEqualTo("agree");
            assertThat(browser.find("#reconciliation-disagreements tr.empty").getText())
                    .isEqualTo("no disagreement");
        });
        assertThat(browser.find("#reconciliation-totals tr[data-bank='bank-b'] .net-here")
                        .getText())
                .startsWith("40");
        browser.screenshot("dashboard-reconciliation");
    }

    @Test
    void aTransactionOfThreeLegsShowsEveryLegAndEveryBanksPartInTheTimeline() {
        String fees = ledger.open(BANK_A, "fees", "0.00");
        Reply transaction = api.transaction(
                List.of(
                        new Api.Leg(BANK_A, alice, "-10.00"),
                        new Api.Leg(BANK_B, bob, "9.50"),
                        new Api.Leg(BANK_A, fees, "0.50")),
                null);
        assertThat(transaction.status()).as(transaction.toString()).isEqualTo(201);
        String txId = transaction.text("transactionId");
        await().atMost(WITHIN).until(() -> api.fullyAcknowledged(txId));

        browser.openAs(
                cluster.coordinator().url().resolve("/dashboard"),
                Credentials.OPERATOR,
                cluster.credentials().operatorPassword());
        await().atMost(WITHIN).ignoreExceptions().until(() -> browser.find("#search-id")
                .isDisplayed());
        browser.find("#search-id").clear();
        browser.find("#search-id").sendKeys(txId);
        browser.find("#search button").click();

        await().atMost(WITHIN).ignoreExceptions().untilAsserted(() -> {
            assertThat(browser.find("#timeline-summary").getText())
                    .isEqualTo(txId + " — COMMITTED · bank-a/" + alice + " -10.00, bank-b/" + bob + " 9.50, bank-a/"
                            + fees + " 0.50");
            assertThat(browser.findAll("#timeline td.what").stream()
                            .map(WebElement::getText)
                            .toList())
                    .contains("PREPARING logged", "COMMIT logged", "bank-a acknowledged", "bank-b acknowledged");
        });
        assertThat(browser.findAll("#timeline td.mono").stream()
                        .map(WebElement::getText)
                        .toList())
                .anyMatch(detail ->
                        detail.contains("debit " + alice + " 10.00") && detail.contains("credit " + fees + " 0.50"));
        browser.screenshot("dashboard-three-legs");
    }
}
