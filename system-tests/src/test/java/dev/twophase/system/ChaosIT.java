package dev.twophase.system;

import static dev.twophase.system.support.Cluster.BANK_A;
import static dev.twophase.system.support.Cluster.BANK_B;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.twophase.system.support.Api.Reply;
import dev.twophase.system.support.ClusterTest;
import dev.twophase.system.support.ServiceProcess;
import dev.twophase.system.support.Store;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/**
 * Many concurrent random transfers while random processes are killed with SIGKILL and restarted; then, once all
 * are back, an exact check of the books. A short run (seconds from {@code -Dchaos.seconds}, default 45) is part of
 * the normal test command; a soak is the same test with a longer time, e.g.
 * {@code ./mvnw verify -Dit.test=ChaosIT -Dchaos.seconds=900}. {@code -Dchaos.seed} replays a run.
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(Store.class)
class ChaosIT extends ClusterTest {

    @Parameter
    Store store;

    @Override
    protected Store store() {
        return store;
    }

    private static final BigDecimal OPENING = new BigDecimal("1000.00");
    private static final int CLIENTS = 8;

    /** What one transfer asked for and what the client was told (null: no definite answer yet). */
    private record Attempt(
            String key,
            String fromBank,
            String from,
            String toBank,
            String to,
            BigDecimal amount,
            String answeredStatus,
            String transferId) {}

    @Test
    void everyTransferEndsCommittedAtBothBanksOrAtNeitherThroughRandomKills() throws Exception {
        long seed = Long.getLong("chaos.seed", System.nanoTime());
        Duration length = Duration.ofSeconds(Long.getLong("chaos.seconds", 45));
        System.out.printf("chaos: seed=%d length=%s (replay with -Dchaos.seed=%d)%n", seed, length, seed);
        Random random = new Random(seed);
        Map<String, String> accounts = new HashMap<>();
        for (String bank : List.of(BANK_A, BANK_B)) {
            for (int i = 0; i < 3; i++) {
                accounts.put(ledger.open(bank, "chaos", OPENING.toPlainString()), bank);
            }
        }
        List<String> ids = accounts.keySet().stream().sorted().toList();

        Instant end = Instant.now().plus(length);
        List<Attempt> attempts = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger kills = new AtomicInteger();
        Map<String, Integer> killed = new ConcurrentHashMap<>();
        ExecutorService workers = Executors.newFixedThreadPool(CLIENTS + 1);
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            long clientSeed = random.nextLong();
            running.add(workers.submit(() -> runClient(new Random(clientSeed), ids, accounts, end, attempts)));
        }
        long killerSeed = random.nextLong();
        running.add(workers.submit(() -> runKiller(new Random(killerSeed), end, kills, killed)));
        for (Future<?> future : running) {
            future.get(length.toSeconds() + 300, TimeUnit.SECONDS);
        }
        workers.shutdown();

        // Every process back; then every client retries what it got no definite answer for, with the same key.
        cluster.heal();
        ExecutorService retries = Executors.newFixedThreadPool(CLIENTS);
        List<Future<Attempt>> settling = new ArrayList<>();
        for (Attempt attempt : attempts) {
            settling.add(
                    attempt.answeredStatus() != null
                            ? CompletableFuture.completedFuture(attempt)
                            : retries.submit(() -> settle(attempt)));
        }
        List<Attempt> settled = new ArrayList<>();
        for (Future<Attempt> attempt : settling) {
            settled.add(attempt.get(120, TimeUnit.SECONDS));
        }
        retries.shutdown();
        long unanswered =
                attempts.stream().filter(a -> a.answeredStatus() == null).count();
        Instant quietFrom = Instant.now();
        await().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500))
                .untilAsserted(() -> {
                    for (String bank : List.of(BANK_A, BANK_B)) {
                        assertThat(api.inDoubt(bank)).as("in doubt at %s", bank).isEmpty();
                    }
                    for (Attempt attempt : settled) {
                        if (attempt.transferId() != null) {
                            assertThat(api.fullyAcknowledged(attempt.transferId()))
                                    .as(attempt.transferId())
                                    .isTrue();
                        }
                    }
                });
        Duration quiesce = Duration.between(quietFrom, Instant.now());

        Map<String, String> finalStatus = new ConcurrentHashMap<>();
        Map<String, BigDecimal> expected = new HashMap<>();
        ids.forEach(id -> expected.put(id, OPENING));
        int commits = 0;
        int aborts = 0;
        for (Attempt attempt : settled) {
            if (attempt.transferId() == null) {
                continue; // refused as bad input (unknown account at a known bank is a protocol abort, not this)
            }
            String status = api.getTransfer(attempt.transferId()).text("status");
            finalStatus.put(attempt.transferId(), status);
            // (5) what the client was told is what happened
            assertThat(status).as("client answer for %s", attempt.transferId()).isEqualTo(attempt.answeredStatus());
            if ("COMMITTED".equals(status)) {
                commits++;
                expected.merge(attempt.from(), attempt.amount().negate(), BigDecimal::add);
                expected.merge(attempt.to(), attempt.amount(), BigDecimal::add);
            } else {
                aborts++;
            }
        }
        // (1) money conserved, (2) every balance is its opening plus exactly its committed transfers, (3) no holds
        BigDecimal total = BigDecimal.ZERO;
        for (String id : ids) {
            var balance = api.balance(accounts.get(id), id);
            assertThat(balance.balance()).as("balance of %s", id).isEqualByComparingTo(expected.get(id));
            assertThat(balance.held()).as("held at %s", id).isEqualByComparingTo("0");
            total = total.add(balance.balance());
        }
        assertThat(total).isEqualByComparingTo(OPENING.multiply(BigDecimal.valueOf(ids.size())));
        // (4) every bank agrees with the coordinator on every transaction it has a record of
        Duration longestInDoubt = Duration.ZERO;
        for (String bank : List.of(BANK_A, BANK_B)) {
            for (JsonNode tx : api.get(api.bankUrl(bank, "/2pc/transactions")).body()) {
                String txId = tx.get("txId").asString();
                Reply atCoordinator = api.getTransfer(txId);
                if (atCoordinator.status() == 404) {
                    continue; // another test's direct protocol message; this cluster serves only this test
                }
                String coordinatorStatus = atCoordinator.text("status");
                String bankState = tx.get("state").asString();
                assertThat(bankState)
                        .as("%s at %s vs coordinator %s", txId, bank, coordinatorStatus)
                        .isEqualTo("COMMITTED".equals(coordinatorStatus) ? "COMMITTED" : "ABORTED");
                if (!tx.get("preparedAt").isNull() && !tx.get("decidedAt").isNull()) {
                    Duration inDoubt = Duration.between(
                            Instant.parse(tx.get("preparedAt").asString()),
                            Instant.parse(tx.get("decidedAt").asString()));
                    longestInDoubt = inDoubt.compareTo(longestInDoubt) > 0 ? inDoubt : longestInDoubt;
                }
            }
        }
        System.out.printf(
                "chaos summary: seed=%d transfers=%d commits=%d aborts=%d retried-after-no-answer=%d "
                        + "kills=%d %s longest-in-doubt=%dms quiesced-after-heal=%dms%n",
                seed,
                settled.size(),
                commits,
                aborts,
                unanswered,
                kills.get(),
                killed,
                longestInDoubt.toMillis(),
                quiesce.toMillis());
        assertThat(kills.get()).isPositive();
        assertThat(commits).isPositive();
        assertThat(aborts).isPositive();
    }

    private void runClient(
            Random random, List<String> ids, Map<String, String> accounts, Instant end, List<Attempt> attempts) {
        int n = 0;
        while (Instant.now().isBefore(end)) {
            String from = ids.get(random.nextInt(ids.size()));
            String to = ids.get(random.nextInt(ids.size()));
            int kind = random.nextInt(10);
            String toBank = accounts.get(to);
            if (kind == 0) {
                to = "ghost"; // an unknown account at a known bank: the bank votes NO
            } else if (from.equals(to)) {
                continue;
            }
            // Mostly small amounts; one in ten larger than any balance can be (an overdraft).
            BigDecimal amount = kind == 1 ? new BigDecimal("5000.00") : BigDecimal.valueOf(1 + random.nextInt(9999), 2);
            String key = "chaos-" + Thread.currentThread().getId() + "-" + (n++) + "-" + random.nextInt(1_000_000);
            attempts.add(send(new Attempt(key, accounts.get(from), from, toBank, to, amount, null, null)));
        }
    }

    private Attempt send(Attempt attempt) {
        try {
            Reply reply = api.transfer(
                    attempt.fromBank(),
                    attempt.from(),
                    attempt.toBank(),
                    attempt.to(),
                    attempt.amount().toPlainString(),
                    attempt.key());
            if (reply.status() == 201 || reply.status() == 409) {
                return withAnswer(attempt, reply.text("status"), reply.text("transferId"));
            }
            if (reply.status() == 202) {
                return withAnswer(attempt, null, reply.text("transferId"));
            }
            throw new AssertionError("unexpected answer " + reply + " to " + attempt);
        } catch (UncheckedIOException e) {
            // The coordinator was down or died mid-request: the client does not know. It will ask again later,
            // and meanwhile backs off as a real client would instead of spinning on a refused connection.
            pause(Duration.ofMillis(250));
            return attempt;
        }
    }

    /** Retries with the same key until the answer is definite: the first transfer, or a new one, never two. */
    private Attempt settle(Attempt attempt) {
        Attempt[] result = new Attempt[1];
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    result[0] = send(attempt);
                    return result[0].answeredStatus() != null;
                });
        return result[0];
    }

    private static Attempt withAnswer(Attempt attempt, String status, String transferId) {
        return new Attempt(
                attempt.key(),
                attempt.fromBank(),
                attempt.from(),
                attempt.toBank(),
                attempt.to(),
                attempt.amount(),
                status,
                transferId);
    }

    /** When the next kill comes is part of the random workload, not a wait for anything to happen. */
    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Kills the processes in rounds, each round in a new random order, so every process dies at least once. */
    private void runKiller(Random random, Instant end, AtomicInteger kills, Map<String, Integer> killed) {
        List<ServiceProcess> round = new ArrayList<>();
        while (Instant.now().plusSeconds(2).isBefore(end)) {
            if (round.isEmpty()) {
                round.addAll(cluster.all());
                Collections.shuffle(round, random);
            }
            ServiceProcess victim = round.remove(0);
            pause(Duration.ofMillis(500 + random.nextInt(2500)));
            victim.kill9();
            kills.incrementAndGet();
            killed.merge(victim.name(), 1, Integer::sum);
            victim.start();
        }
    }
}
