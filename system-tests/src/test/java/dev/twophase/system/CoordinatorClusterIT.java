package dev.twophase.system;

import static dev.twophase.system.support.Cluster.BANK_A;
import static dev.twophase.system.support.Cluster.BANK_B;
import static dev.twophase.system.support.Cluster.crashAt;
import static dev.twophase.system.support.ClusterViews.lastFinished;
import static dev.twophase.system.support.ClusterViews.node;
import static dev.twophase.system.support.ClusterViews.nothingLeftOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.twophase.system.support.AliceAndBobTest;
import dev.twophase.system.support.Api;
import dev.twophase.system.support.Api.Reply;
import dev.twophase.system.support.Browser;
import dev.twophase.system.support.Cluster;
import dev.twophase.system.support.Credentials;
import dev.twophase.system.support.Nemesis;
import dev.twophase.system.support.RandomTransfers;
import dev.twophase.system.support.ServiceProcess;
import dev.twophase.system.support.Store;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import tools.jackson.databind.JsonNode;

/**
 * A coordinator cluster: two coordinator nodes on one PostgreSQL database (leases of {@link Cluster#LEASE}) and two
 * banks that know both. A node killed with SIGKILL, or frozen with SIGSTOP past its lease, has its transactions
 * finished by the survivor; a frozen node that wakes up can no longer record or send anything that contradicts what
 * the survivor recorded (src-docs/cluster.md).
 */
class CoordinatorClusterIT extends AliceAndBobTest {

    private ServiceProcess node1;
    private ServiceProcess node2;
    private Api api2;

    @Override
    protected Store store() {
        return Store.POSTGRESQL;
    }

    @Override
    protected int coordinatorNodes() {
        return 2;
    }

    private void nodes() {
        node1 = cluster.coordinators().get(0);
        node2 = cluster.coordinators().get(1);
        api2 = cluster.api(node2);
    }

    @Test
    void theSurvivorFinishesEveryTransactionOfAKilledNodeWithinItsLease() throws Exception {
        nodes();
        long seed = System.nanoTime();
        RandomTransfers transfers = new RandomTransfers(List.of(api, api2), ledger);
        ExecutorService workers = Executors.newFixedThreadPool(8);
        List<Future<?>> running =
                transfers.start(workers, 8, new Random(seed), Instant.now().plusSeconds(12));
        // Load on both nodes before the kill: some of node 1's transactions are in flight when it dies.
        await().atMost(Duration.ofSeconds(30)).until(() -> transfers.answered(201) >= 100);

        long epoch = node(api2.opsCluster(), "coordinator-1").get("epoch").asLong();
        node1.kill9();
        Instant killedAt = Instant.now();
        await().atMost(Cluster.LEASE.multipliedBy(4))
                .pollInterval(Duration.ofMillis(50))
                .alias("coordinator-1's transactions all finished")
                .conditionEvaluationListener(condition -> {
                    if (!condition.isSatisfied() && condition.getRemainingTimeInMS() < 100) {
                        System.out.println("cluster view at the deadline: " + api2.opsCluster());
                    }
                })
                .until(() -> nothingLeftOf(api2.opsCluster(), "coordinator-1"));
        JsonNode view = api2.opsCluster();
        Duration finished = Duration.between(killedAt, lastFinished(view, "coordinator-1", epoch));
        JsonNode dead = node(view, "coordinator-1");
        assertThat(dead.get("held").asBoolean()).isFalse();
        assertThat(dead.get("fencedBy").asString()).isEqualTo("coordinator-2");

        for (Future<?> client : running) {
            client.get(60, TimeUnit.SECONDS);
        }
        workers.shutdown();
        // The survivor has finished node 1's work (measured above); node 1 comes back for the check of the books,
        // which reads through both nodes.
        node1.start();
        RandomTransfers.Books books = transfers.settleAndCheckTheBooks();
        System.out.printf(
                "cluster kill: seed=%d transfers=%d commits=%d aborts=%d; node 1's transactions all finished %d ms "
                        + "after its kill (lease %d ms, renewal %d ms, redelivery poll %d ms); takeovers: %s%n",
                seed,
                books.transfers(),
                books.commits(),
                books.aborts(),
                finished.toMillis(),
                Cluster.LEASE.toMillis(),
                Cluster.RENEWAL.toMillis(),
                Cluster.REDELIVERY_POLL.toMillis(),
                view.get("takeovers"));
        // Lease, one pass to see it lapsed and one to confirm it (two renewal intervals), one redelivery interval;
        // a second for the deliveries themselves on a loaded 2-core machine.
        assertThat(finished)
                .isLessThanOrEqualTo(Cluster.LEASE
                        .plus(Cluster.RENEWAL.multipliedBy(2))
                        .plus(Cluster.REDELIVERY_POLL)
                        .plusSeconds(1));
    }

    @Test
    void aNodePausedPastItsLeaseBeforeItsDecisionCannotCommitWhatTheSurvivorAborted() throws Exception {
        nodes();
        String point = "coordinator.before-decision-logged";
        cluster.restart(node1, crashAt(point), "--twophase.crash.action=STOP");
        CompletableFuture<Reply> answer = api.transferAsync(BANK_A, alice, BANK_B, bob, "40.00");
        node1.awaitCrashPoint(point); // both banks voted YES; node 1 stopped itself before logging COMMIT
        String txId = api.txIdFor(BANK_A, alice);
        assertThat(ledger.balance(alice).held()).isEqualByComparingTo("40.00");

        await().atMost(Cluster.LEASE.multipliedBy(4)).untilAsserted(() -> {
            assertThat(api.bankState(BANK_A, txId)).isEqualTo("ABORTED");
            assertThat(api.bankState(BANK_B, txId)).isEqualTo("ABORTED");
        });
        Reply atSurvivor = api2.getTransfer(txId);
        assertThat(atSurvivor.text("status")).isEqualTo("ABORTED");
        assertThat(atSurvivor.text("reason")).isEqualTo("COORDINATOR_TAKEN_OVER");

        node1.resume();
        // Its COMMIT is refused by the log (another node owns the row), so it is never sent; its client hears the
        // recorded outcome, or PENDING with the lookup URL if its wait ran out while it was stopped.
        Reply told = answer.get(60, TimeUnit.SECONDS);
        assertThat(told.status()).isIn(409, 202);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(node1.currentLog()).contains("its COMMIT decision is not recorded and not sent");
            assertThat(node1.currentLog()).contains("lost its lease");
        });
        assertThat(api.bankState(BANK_A, txId)).isEqualTo("ABORTED");
        assertThat(api.bankState(BANK_B, txId)).isEqualTo("ABORTED");
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(api2.fullyAcknowledged(txId)).isTrue());
        assertThat(ledger.balance(alice).balance()).isEqualByComparingTo("100.00");
        assertThat(ledger.balance(alice).held()).isEqualByComparingTo("0");
        assertThat(ledger.balance(bob).balance()).isEqualByComparingTo("0.00");
        // Node 1 joined again under a new epoch and takes work.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                        api.transfer(BANK_A, alice, BANK_B, bob, "1.00").status())
                .isEqualTo(201));
    }

    @Test
    void aNodePausedRightAfterItsCommitChangesNothingWhenItResumes() throws Exception {
        nodes();
        String point = "coordinator.after-decision-logged";
        cluster.restart(node1, crashAt(point), "--twophase.crash.action=STOP");
        CompletableFuture<Reply> answer = api.transferAsync(BANK_A, alice, BANK_B, bob, "40.00");
        node1.awaitCrashPoint(point); // COMMIT logged, nothing delivered yet
        String txId = api.txIdFor(BANK_A, alice);

        // The survivor takes it over and delivers the recorded COMMIT.
        await().atMost(Cluster.LEASE.multipliedBy(4)).untilAsserted(() -> {
            assertThat(api.bankState(BANK_A, txId)).isEqualTo("COMMITTED");
            assertThat(api.bankState(BANK_B, txId)).isEqualTo("COMMITTED");
            assertThat(api2.fullyAcknowledged(txId)).isTrue();
        });

        node1.resume();
        // It delivers the same COMMIT again (the banks answer a repeat as the first time) and cannot log anything.
        assertThat(answer.get(60, TimeUnit.SECONDS).text("status")).isEqualTo("COMMITTED");
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(node1.currentLog()).contains("is owned by coordinator-2"));
        assertThat(ledger.balance(alice).balance()).isEqualByComparingTo("60.00");
        assertThat(ledger.balance(alice).held()).isEqualByComparingTo("0");
        assertThat(ledger.balance(bob).balance()).isEqualByComparingTo("40.00");
        Reply transfer = api.getTransfer(txId);
        assertThat(transfer.text("status")).isEqualTo("COMMITTED");
    }

    @Test
    void theDashboardShowsEachNodesLeaseTheTakeoverAndTheOwnerChangeInTheTimeline() {
        nodes();
        String point = "coordinator.before-decision-logged";
        cluster.restart(node1, crashAt(point));
        api.transferAsync(BANK_A, alice, BANK_B, bob, "40.00");
        node1.awaitCrashPoint(point);
        String txId = api.txIdFor(BANK_A, alice);
        node1.kill9();
        await().atMost(Cluster.LEASE.multipliedBy(4))
                .untilAsserted(() -> assertThat(api2.fullyAcknowledged(txId)).isTrue());

        try (Browser browser = Browser.headlessChromium()) {
            browser.open(node2.url().resolve("/dashboard"));
            browser.logIn(Credentials.OPERATOR, cluster.credentials().operatorPassword());
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
                assertThat(browser.find("#cluster-nodes tr[data-node='coordinator-1'] .lease")
                                .getText())
                        .startsWith("fenced by coordinator-2 at ");
                assertThat(browser.find("#cluster-nodes tr[data-node='coordinator-2'] .lease")
                                .getText())
                        .isEqualTo("held");
                WebElement takeover = browser.find("#takeovers tbody tr");
                assertThat(takeover.findElement(By.cssSelector(".from")).getText())
                        .startsWith("coordinator-1 #");
                assertThat(takeover.findElement(By.cssSelector(".by")).getText())
                        .startsWith("coordinator-2 #");
                assertThat(takeover.findElement(By.cssSelector(".transactions")).getText())
                        .isEqualTo("1");
                assertThat(takeover.findElement(By.cssSelector(".finished")).getText())
                        .isNotEqualTo("in progress");
            });
            browser.find("#search-id").sendKeys(txId);
            browser.find("#search button").click();
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
                List<String> events = browser.findAll("#timeline td.what").stream()
                        .map(WebElement::getText)
                        .toList();
                assertThat(events).contains("ABORT logged (COORDINATOR_TAKEN_OVER)");
                assertThat(events).anyMatch(event -> event.startsWith("taken over by node coordinator-2#"));
            });
            browser.screenshot("dashboard-cluster");
        }
    }

    @Test
    void aNodeCutOffFromOneBankKeepsItsLeaseAndAbortsWhatItCannotPrepare() throws Exception {
        nodes();
        int nowhere;
        try (ServerSocket closed = new ServerSocket(0)) {
            nowhere = closed.getLocalPort(); // nobody listens there once it is closed
        }
        cluster.restart(node1, "--twophase.participants.bank-b=http://localhost:" + nowhere);
        long epoch = node(api2.opsCluster(), "coordinator-1").get("epoch").asLong();

        Reply cutOff = api.transfer(BANK_A, alice, BANK_B, bob, "10.00");

        assertThat(cutOff.status()).isEqualTo(409);
        assertThat(cutOff.text("reason")).isEqualTo("PARTICIPANT_UNAVAILABLE");
        assertThat(api2.transfer(BANK_A, alice, BANK_B, bob, "10.00").status()).isEqualTo(201);
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(ledger.balance(alice).held()).isEqualByComparingTo("0"));
        assertThat(ledger.balance(alice).balance()).isEqualByComparingTo("90.00");
        // Its lease is intact through a few renewals: nothing was taken from it.
        await().pollDelay(Cluster.LEASE.plus(Cluster.RENEWAL.multipliedBy(2)))
                .atMost(Cluster.LEASE.multipliedBy(3))
                .untilAsserted(() -> {
                    JsonNode view = api2.opsCluster();
                    JsonNode node = node(view, "coordinator-1");
                    assertThat(node.get("held").asBoolean()).isTrue();
                    assertThat(node.get("epoch").asLong()).isEqualTo(epoch);
                    for (JsonNode takeover : view.get("takeovers")) {
                        assertThat(takeover.get("from").toString())
                                .as("no takeover of the cut-off node's current epoch")
                                .isNotEqualTo("{\"node\":\"coordinator-1\",\"epoch\":" + epoch + "}");
                    }
                });
    }

    @Test
    void oneIdempotencyKeySentToBothNodesAtOnceMovesTheMoneyOnce() throws Exception {
        nodes();
        String key = "both-nodes-" + UUID.randomUUID();
        CompletableFuture<Reply> first = api.transferAsync(BANK_A, alice, BANK_B, bob, "10.00", key);
        CompletableFuture<Reply> second = api2.transferAsync(BANK_A, alice, BANK_B, bob, "10.00", key);

        Reply one = first.get(30, TimeUnit.SECONDS);
        Reply other = second.get(30, TimeUnit.SECONDS);

        assertThat(one.status()).isEqualTo(201);
        assertThat(other.status()).isEqualTo(201);
        assertThat(other.text("transferId")).isEqualTo(one.text("transferId"));
        assertThat(ledger.balance(alice).balance()).isEqualByComparingTo("90.00");
        // Either node serves the transfer and the banks' decision inquiry.
        assertThat(api2.getTransfer(one.text("transferId")).text("status")).isEqualTo("COMMITTED");
        assertThat(api2.decision(one.text("transferId"))).isEqualTo("COMMIT");
        assertThat(api.decision(one.text("transferId"))).isEqualTo("COMMIT");
    }

    @Test
    void aSecondProcessWithALiveNodesIdRefusesToStart() {
        nodes();
        node2.kill9();
        node2.startWithoutWaiting("--twophase.node-id=coordinator-1");

        node2.awaitExit();

        assertThat(node2.currentLog()).contains("node id coordinator-1 is held by a live coordinator");
        assertThat(api.transfer(BANK_A, alice, BANK_B, bob, "1.00").status()).isEqualTo(201);
    }

    /**
     * Chaos on the cluster: random transfers to both nodes while a nemesis kills coordinators (SIGKILL, restarted),
     * freezes them (SIGSTOP for up to twice the lease, then SIGCONT) and kills banks; then every process healthy,
     * every transfer settled, and the books exact with nothing in doubt.
     */
    @Test
    void theBooksStayExactThroughKillsAndPausesOfCoordinatorsAndKillsOfBanks() throws Exception {
        nodes();
        long seed = Long.getLong("chaos.seed", System.nanoTime());
        Duration length = Duration.ofSeconds(Long.getLong("chaos.seconds", 30));
        System.out.printf("cluster chaos: seed=%d length=%s (replay with -Dchaos.seed=%d)%n", seed, length, seed);
        Random random = new Random(seed);
        RandomTransfers transfers = new RandomTransfers(List.of(api, api2), ledger);
        Instant end = Instant.now().plus(length);
        Map<String, Integer> faults = new ConcurrentHashMap<>();
        AtomicInteger count = new AtomicInteger();
        ExecutorService workers = Executors.newFixedThreadPool(9);
        List<Future<?>> running = new ArrayList<>(transfers.start(workers, 8, random, end));
        long nemesisSeed = random.nextLong();
        running.add(workers.submit(() -> nemesis(new Random(nemesisSeed), end, faults, count)));
        for (Future<?> future : running) {
            future.get(length.toSeconds() + 300, TimeUnit.SECONDS);
        }
        workers.shutdown();

        cluster.heal();
        RandomTransfers.Books books = transfers.settleAndCheckTheBooks();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                        api.opsCluster().get("unownedInFlight").asInt())
                .isZero());
        System.out.printf(
                "cluster chaos summary: seed=%d transfers=%d commits=%d aborts=%d faults=%d %s takeovers=%d%n",
                seed,
                books.transfers(),
                books.commits(),
                books.aborts(),
                count.get(),
                faults,
                api.opsCluster().get("takeovers").size());
        assertThat(count.get()).isPositive();
        assertThat(books.commits()).isPositive();
    }

    /** Faults every process in rounds: a coordinator is killed or paused (up to twice its lease), a bank killed. */
    private void nemesis(Random random, Instant end, Map<String, Integer> faults, AtomicInteger count) {
        Nemesis.run(cluster.all(), random, end, victim -> {
            if (cluster.coordinators().contains(victim) && random.nextBoolean()) {
                victim.pause();
                // How long the pause lasts is part of the random workload, not a wait for anything.
                RandomTransfers.pause(Duration.ofMillis(random.nextInt((int) Cluster.LEASE.toMillis() * 2)));
                victim.resume();
                faults.merge(victim.name() + " paused", 1, Integer::sum);
            } else {
                victim.kill9();
                faults.merge(victim.name() + " killed", 1, Integer::sum);
                victim.start();
            }
            count.incrementAndGet();
        });
    }
}
