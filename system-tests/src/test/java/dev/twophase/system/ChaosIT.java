package dev.twophase.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twophase.system.support.Api;
import dev.twophase.system.support.ClusterTest;
import dev.twophase.system.support.Nemesis;
import dev.twophase.system.support.RandomTransfers;
import dev.twophase.system.support.ServiceProcess;
import dev.twophase.system.support.Store;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Many concurrent random transfers — and transactions of three legs at three banks — while random processes (the
 * coordinator and the three banks) are killed with SIGKILL and restarted; then, once all are back, an exact check of
 * the books, leg by leg. A short run (seconds from {@code -Dchaos.seconds}, default 30, on each store) is part of
 * the normal test command; a soak is the same test with a longer time, e.g.
 * {@code ./mvnw verify -Dit.test=ChaosIT -Dchaos.seconds=900}. {@code -Dchaos.seed} replays a run.
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(Store.class)
class ChaosIT extends ClusterTest {

    private static final int CLIENTS = 8;

    @Parameter
    Store store;

    @Override
    protected Store store() {
        return store;
    }

    /** bank-a, bank-b and bank-c: transfers between two of them, and transactions across all three. */
    @Override
    protected int bankCount() {
        return 3;
    }

    @Test
    void everyTransactionEndsCommittedAtEveryBankOrAtNoneThroughRandomKills() throws Exception {
        long seed = Long.getLong("chaos.seed", System.nanoTime());
        Duration length = Duration.ofSeconds(Long.getLong("chaos.seconds", 30));
        System.out.printf("chaos: seed=%d length=%s (replay with -Dchaos.seed=%d)%n", seed, length, seed);
        Random random = new Random(seed);
        RandomTransfers transfers = new RandomTransfers(api, ledger);

        Instant began = Instant.now();
        Instant end = began.plus(length);
        AtomicInteger kills = new AtomicInteger();
        Map<String, Integer> killed = new ConcurrentHashMap<>();
        ExecutorService workers = Executors.newFixedThreadPool(CLIENTS + 1);
        // The clients send until the killer is done: at the end of the run, or once it has killed every process.
        AtomicBoolean killing = new AtomicBoolean(true);
        List<Future<?>> running = new ArrayList<>(transfers.start(workers, CLIENTS, random, killing::get));
        long killerSeed = random.nextLong();
        running.add(workers.submit(() -> {
            try {
                runKiller(new Random(killerSeed), end, kills, killed);
            } finally {
                killing.set(false);
            }
        }));
        for (Future<?> future : running) {
            future.get(length.toSeconds() + 300, TimeUnit.SECONDS);
        }
        workers.shutdown();

        // Every process back; then every client retries what it got no definite answer for, with the same key.
        cluster.heal();
        Instant healed = Instant.now();
        RandomTransfers.Books books = transfers.settleAndCheckTheBooks();
        System.out.printf(
                "chaos summary: seed=%d store=%s transactions=%d commits=%d aborts=%d (of three legs: %d committed,"
                        + " %d aborted) retried-after-no-answer=%d kills=%d %s longest-in-doubt=%dms"
                        + " settled-after-heal=%dms%n",
                seed,
                store,
                books.transfers(),
                books.commits(),
                books.aborts(),
                books.multiLegCommits(),
                books.multiLegAborts(),
                books.retriedAfterNoAnswer(),
                kills.get(),
                killed,
                books.longestInDoubt().toMillis(),
                Duration.between(healed, Instant.now()).toMillis());
        // The coordinator's books and each bank's agree, transaction by transaction.
        Api.Reply reconciled =
                api.reconciliation(began.minusSeconds(1), Instant.now().plusSeconds(1));
        assertThat(reconciled.status()).isEqualTo(200);
        assertThat(reconciled.body().get("disagreements"))
                .as(reconciled.body().toString())
                .isEmpty();
        assertThat(reconciled.body().get("unreadableBanks")).isEmpty();
        reconciled.body().get("totals").forEach(total -> {
            assertThat(new BigDecimal(total.get("netHere").asString()))
                    .isEqualByComparingTo(total.get("netThere").asString());
            assertThat(total.get("committedHere").asLong())
                    .isEqualTo(total.get("committedThere").asLong());
        });
        assertThat(reconciled.body().get("totals").get(0).get("committedHere").asLong())
                .isPositive();
        assertThat(killed.keySet())
                .as("every process killed at least once")
                .containsExactlyInAnyOrderElementsOf(
                        cluster.all().stream().map(ServiceProcess::name).toList());
        assertThat(books.commits()).isPositive();
        assertThat(books.aborts()).isPositive();
        assertThat(books.multiLegCommits())
                .as("three-leg transactions committed")
                .isPositive();
        assertThat(books.multiLegAborts()).as("three-leg transactions aborted").isPositive();
    }

    /** Kills the processes in rounds, each round in a new random order, so every process dies at least once. */
    private void runKiller(Random random, Instant end, AtomicInteger kills, Map<String, Integer> killed) {
        Nemesis.runAtLeastOneRound(cluster.all(), random, end, victim -> {
            victim.kill9();
            kills.incrementAndGet();
            killed.merge(victim.name(), 1, Integer::sum);
            victim.start();
        });
    }
}
