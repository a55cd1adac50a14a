package dev.twophase.system.bench;

import static dev.twophase.system.support.Cluster.BANK_A;
import static dev.twophase.system.support.Cluster.BANK_B;

import dev.twophase.system.support.Api;
import dev.twophase.system.support.Api.Reply;
import dev.twophase.system.support.Cluster;
import dev.twophase.system.support.Ledger;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/**
 * Closed-loop throughput and latency of cross-bank transfers against the coordinator and two banks running as
 * real processes with production JVM settings. It prints figures and asserts nothing about speed. Not part of the
 * normal test command (its name matches neither *Test nor *IT); run it with
 *
 * <pre>./mvnw verify -Dit.test=TransferBenchmark -Dfailsafe.failIfNoSpecifiedTests=false -Dtest=none
 *     -Dsurefire.failIfNoSpecifiedTests=false [-Dbench.clients=64] [-Dbench.seconds=30] [-Dbench.warmup=10]</pre>
 */
class TransferBenchmark {

    private static final int CLIENTS = Integer.getInteger("bench.clients", 64);
    private static final Duration WARMUP = Duration.ofSeconds(Long.getLong("bench.warmup", 10));
    private static final Duration MEASURE = Duration.ofSeconds(Long.getLong("bench.seconds", 30));
    private static final int ACCOUNTS_PER_BANK = Integer.getInteger("bench.accounts", 100);

    @Test
    void crossBankTransfersClosedLoop() throws Exception {
        System.setProperty("twophase.jvm-flags", System.getProperty("bench.jvm-flags", "-Xms256m -Xmx512m"));
        try (Cluster cluster = Cluster.start("bench")) {
            Api api = cluster.api();
            Ledger ledger = new Ledger(api);
            List<String> fromA = new ArrayList<>();
            List<String> toB = new ArrayList<>();
            for (int i = 0; i < ACCOUNTS_PER_BANK; i++) {
                fromA.add(ledger.open(BANK_A, "payer", "1000000.00"));
                toB.add(ledger.open(BANK_B, "payee", "0.00"));
            }
            Instant measureFrom = Instant.now().plus(WARMUP);
            Instant end = measureFrom.plus(MEASURE);
            AtomicLong commits = new AtomicLong();
            AtomicLong aborts = new AtomicLong();
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            List<Future<Histogram>> results = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                long seed = c;
                results.add(clients.submit(
                        () -> runClient(api, new Random(seed), fromA, toB, measureFrom, end, commits, aborts)));
            }
            Histogram latency = new Histogram(3_600_000_000L, 3);
            for (Future<Histogram> result : results) {
                latency.add(result.get());
            }
            clients.shutdown();
            double seconds = MEASURE.toMillis() / 1000.0;
            System.out.printf(
                    "%nbenchmark: %d clients, closed loop, %s warm-up, %s measured, %d cores, Java %s%n",
                    CLIENTS,
                    WARMUP,
                    MEASURE,
                    Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version"));
            System.out.printf(
                    "committed/s %.0f  aborted %d  p50 %.1f ms  p90 %.1f ms  p99 %.1f ms  p99.9 %.1f ms"
                            + "  max %.1f ms%n",
                    commits.get() / seconds,
                    aborts.get(),
                    ms(latency, 50),
                    ms(latency, 90),
                    ms(latency, 99),
                    ms(latency, 99.9),
                    latency.getMaxValue() / 1000.0);
        }
    }

    private static Histogram runClient(
            Api api,
            Random random,
            List<String> fromA,
            List<String> toB,
            Instant measureFrom,
            Instant end,
            AtomicLong commits,
            AtomicLong aborts) {
        Histogram latency = new Histogram(3_600_000_000L, 3);
        while (Instant.now().isBefore(end)) {
            String from = fromA.get(random.nextInt(fromA.size()));
            String to = toB.get(random.nextInt(toB.size()));
            BigDecimal amount = BigDecimal.valueOf(1 + random.nextInt(100), 2);
            long started = System.nanoTime();
            Reply reply = api.transfer(BANK_A, from, BANK_B, to, amount.toPlainString());
            long micros = (System.nanoTime() - started) / 1000;
            if (Instant.now().isAfter(measureFrom)) {
                latency.recordValue(micros);
                (reply.status() == 201 ? commits : aborts).incrementAndGet();
            }
        }
        return latency;
    }

    private static double ms(Histogram histogram, double percentile) {
        return histogram.getValueAtPercentile(percentile) / 1000.0;
    }
}
