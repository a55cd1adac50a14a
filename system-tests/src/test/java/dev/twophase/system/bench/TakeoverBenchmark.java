package dev.twophase.system.bench;

import static dev.twophase.system.support.ClusterViews.lastFinished;
import static dev.twophase.system.support.ClusterViews.node;
import static dev.twophase.system.support.ClusterViews.nothingLeftOf;
import static dev.twophase.system.support.ClusterViews.takenOver;
import static org.awaitility.Awaitility.await;

import dev.twophase.system.support.Api;
import dev.twophase.system.support.Cluster;
import dev.twophase.system.support.Ledger;
import dev.twophase.system.support.RandomTransfers;
import dev.twophase.system.support.ServiceProcess;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * How long a coordinator cluster takes to finish a killed node's transactions, over many kills: two coordinator nodes
 * on PostgreSQL and two banks as real processes, random transfers sent to both nodes, and in each round one node
 * (each in turn) killed with SIGKILL under load; the time from the kill to the end of the last transaction the
 * survivor took from it is read from the survivor's {@code /api/ops/cluster}. The killed node is then started again
 * (it rejoins under a new epoch) before the next round. Ends with the exact check of the books. Prints figures;
 * asserts nothing about speed. Run it with {@code ./bench.sh takeover 20}; settings: {@code bench.takeovers} (rounds),
 * {@code bench.clients}, {@code bench.load-seconds} (load per round; the kill comes once it is flowing).
 */
class TakeoverBenchmark {

    private static final int ROUNDS = Integer.getInteger("bench.takeovers", 20);
    private static final int CLIENTS = Integer.getInteger("bench.clients", 8);
    private static final Duration LOAD = Duration.ofSeconds(Long.getLong("bench.load-seconds", 10));
    /** Answers the round's clients get before the kill: transactions of the victim are then in flight. */
    private static final int ANSWERS_BEFORE_KILL = 50;

    private record Round(String victim, int transactions, Duration finished) {}

    @Test
    void killedNodesTransactionsAreFinishedByTheSurvivor() throws Exception {
        long seed = Long.getLong("bench.seed", System.nanoTime());
        Random random = new Random(seed);
        try (Cluster cluster = Cluster.startCoordinatorCluster("takeover-bench", List.of())) {
            List<ServiceProcess> nodes = cluster.coordinators();
            List<Api> apis = nodes.stream().map(cluster::api).toList();
            RandomTransfers transfers = new RandomTransfers(apis, new Ledger(cluster.api()));
            ExecutorService workers = Executors.newFixedThreadPool(CLIENTS);
            List<Round> rounds = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                int victimIndex = round % nodes.size();
                ServiceProcess victim = nodes.get(victimIndex);
                String victimId = "coordinator-" + (victimIndex + 1);
                Api survivor = apis.get((victimIndex + 1) % nodes.size());

                long answeredBefore = answered(transfers);
                List<Future<?>> running =
                        transfers.start(workers, CLIENTS, random, Instant.now().plus(LOAD));
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> answered(transfers) - answeredBefore >= ANSWERS_BEFORE_KILL);
                long epoch = node(survivor.opsCluster(), victimId).get("epoch").asLong();
                victim.kill9();
                Instant killedAt = Instant.now();
                await().atMost(Cluster.LEASE.multipliedBy(10))
                        .pollInterval(Duration.ofMillis(50))
                        .until(() -> nothingLeftOf(survivor.opsCluster(), victimId));
                JsonNode view = survivor.opsCluster();
                Round result = new Round(
                        victimId,
                        takenOver(view, victimId, epoch),
                        Duration.between(killedAt, lastFinished(view, victimId, epoch)));
                rounds.add(result);
                System.out.printf(
                        Locale.ROOT,
                        "takeover %2d: %s#%d killed, %d transactions taken over, all finished %d ms after the kill%n",
                        round + 1,
                        victimId,
                        epoch,
                        result.transactions(),
                        result.finished().toMillis());
                for (Future<?> client : running) {
                    client.get(LOAD.toSeconds() + 120, TimeUnit.SECONDS);
                }
                victim.start(); // waits until UP: it rejoins under a new epoch
            }
            workers.shutdown();
            RandomTransfers.Books books = transfers.settleAndCheckTheBooks();
            report(seed, rounds, books);
        }
    }

    private static long answered(RandomTransfers transfers) {
        return transfers.answered(201) + transfers.answered(409);
    }

    private static void report(long seed, List<Round> rounds, RandomTransfers.Books books) {
        List<Long> millis = rounds.stream()
                .map(round -> round.finished().toMillis())
                .sorted()
                .toList();
        System.out.printf(
                Locale.ROOT,
                "%nbenchmark: takeover, %d kills of a coordinator node under load (%d clients over both nodes), store"
                        + " POSTGRESQL, %d cores, Java %s (services: %s), seed %d%n",
                rounds.size(),
                CLIENTS,
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"),
                System.getProperty("twophase.java", "java"),
                seed);
        System.out.printf(
                Locale.ROOT,
                "takeover ms from kill to the last taken transaction ended: min %d  median %d  p90 %d  max %d"
                        + " (lease %d ms, renewal %d ms, redelivery poll %d ms)%n",
                millis.get(0),
                percentile(millis, 50),
                percentile(millis, 90),
                millis.get(millis.size() - 1),
                Cluster.LEASE.toMillis(),
                Cluster.RENEWAL.toMillis(),
                Cluster.REDELIVERY_POLL.toMillis());
        System.out.printf(
                Locale.ROOT,
                "transactions taken over per kill: %s (%d in all)%n",
                rounds.stream().map(Round::transactions).toList(),
                rounds.stream().mapToInt(Round::transactions).sum());
        System.out.printf(
                Locale.ROOT,
                "books exact: %d transfers, %d committed, %d aborted, %d retried after no answer%n",
                books.transfers(),
                books.commits(),
                books.aborts(),
                books.retriedAfterNoAnswer());
    }

    /** The nearest-rank percentile of sorted values. */
    private static long percentile(List<Long> sorted, int percent) {
        int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
        return sorted.get(Math.max(rank, 1) - 1);
    }
}
