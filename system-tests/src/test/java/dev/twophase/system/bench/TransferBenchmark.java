package dev.twophase.system.bench;

import static dev.twophase.system.support.Cluster.BANK_A;
import static dev.twophase.system.support.Cluster.BANK_B;

import dev.twophase.system.support.Cluster;
import dev.twophase.system.support.Ledger;
import dev.twophase.system.support.ServiceProcess;
import dev.twophase.system.support.Store;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import org.HdrHistogram.Recorder;
import org.junit.jupiter.api.Test;

/**
 * Throughput and latency of random cross-bank transfers against the coordinator and two banks running as real
 * processes with production JVM settings. Prints figures; asserts nothing about speed. Not part of the normal test
 * command (its name matches neither *Test nor *IT): run it with {@code ./bench.sh} (see the README), which passes:
 *
 * <ul>
 *   <li>{@code bench.mode}: {@code closed} (each of {@code bench.clients} sends its next transfer when the last one
 *       is answered: the highest throughput) or {@code open} (transfers start at a fixed {@code bench.rate} per
 *       second whatever the answers do, and each latency counts from when its transfer was due, so a stall shows
 *       in the percentiles instead of hiding as coordinated omission);
 *   <li>{@code bench.force}: {@code true} runs every service with its log forced to disk on each group commit
 *       (power-failure durable, the default), {@code false} written to the file only (kill -9 durable);
 *   <li>{@code bench.warmup} and {@code bench.seconds}: warm-up (closed loop, not measured; in open mode followed by
 *       15 s at the offered rate, not measured either) and measured time;
 *   <li>{@code bench.loadgen-warmup}: seconds the load generator warms its own JIT before the services start;
 *   <li>{@code bench.nodes}: coordinator nodes; 2 runs a coordinator cluster (two nodes on one PostgreSQL database,
 *       each transfer sent to one of them at random; needs {@code bench.store=POSTGRESQL});
 *   <li>{@code bench.jvm-flags}: the services' JVM flags; {@code bench.java}: their {@code java} binary;
 *       {@code bench.service-args}: more {@code --name=value} settings for every service (space-separated).
 * </ul>
 */
class TransferBenchmark {

    private static final String MODE = System.getProperty("bench.mode", "closed");
    private static final int CLIENTS = Integer.getInteger("bench.clients", 64);
    private static final int RATE = Integer.getInteger("bench.rate", 500);
    private static final boolean FORCE = Boolean.parseBoolean(System.getProperty("bench.force", "true"));
    /** Where the services keep their state: H2 (default) or POSTGRESQL (a fresh database each, on this machine's). */
    private static final Store STORE = Store.valueOf(System.getProperty("bench.store", "H2"));
    /** Coordinator nodes: 1, or 2 for a coordinator cluster on PostgreSQL. */
    private static final int NODES = Integer.getInteger("bench.nodes", 1);

    private static final Duration WARMUP = Duration.ofSeconds(Long.getLong("bench.warmup", 30));
    private static final Duration MEASURE = Duration.ofSeconds(Long.getLong("bench.seconds", 30));
    /**
     * How long the load generator warms its own JIT against a stand-in before the services start (see
     * {@link LoadGeneratorWarmUp}), so that the warm-up curve is the services'.
     */
    private static final Duration LOADGEN_WARMUP = Duration.ofSeconds(Long.getLong("bench.loadgen-warmup", 20));
    /** Seconds between progress lines (throughput so far, memory and file sizes) during the measured run. */
    private static final long SAMPLE_EVERY = Long.getLong("bench.sample", 60);

    /** Where every JVM of the run (the services, and the load generator if bench.sh asks) logs its GC pauses. */
    private static final Path GC_LOGS =
            Path.of(System.getProperty("bench.gc-logs", "target/bench-gc")).toAbsolutePath();

    private static final int ACCOUNTS_PER_BANK = Integer.getInteger("bench.accounts", 100);
    /** Unmeasured time at the offered rate between the closed-loop warm-up and the measured open loop. */
    private static final Duration OPEN_LOOP_SETTLE = Duration.ofSeconds(15);
    /** How long before the measured open loop the services' counters are read. */
    private static final Duration SNAPSHOT_LEAD = Duration.ofSeconds(3);
    /** Threads that carry the open loop's requests; more than can ever be in flight at the rates we offer. */
    private static final int OPEN_LOOP_THREADS = 512;

    /**
     * The open loop's threads, all started before the first transfer and kept across the settling and the measured
     * run: a pool that started a thread per task for its first {@value #OPEN_LOOP_THREADS} tasks made the first
     * second of each loop its slowest (120-200 ms) on the load generator's side alone.
     */
    private final ThreadPoolExecutor openLoopSenders = new ThreadPoolExecutor(
            OPEN_LOOP_THREADS, OPEN_LOOP_THREADS, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>());

    private final LongAdder commits = new LongAdder();
    private final LongAdder aborts = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final Recorder latency = new Recorder(3);
    /** The slowest latency (µs) of the transfers that started in each {@link #SLOT_MILLIS} of the measured run. */
    private static final long SLOT_MILLIS = 100;

    private final AtomicLongArray slowest = new AtomicLongArray((int) (MEASURE.toMillis() / SLOT_MILLIS) + 1);
    private volatile long measuredFromNanos;
    private volatile long measuredFromMillis;
    private volatile boolean measuring;
    /** Transfers committed since the services' counters were first read: what their deltas are divided by. */
    private final LongAdder committedForServices = new LongAdder();

    private volatile boolean countingForServices;

    /** The warm-up curve: transfers committed in each {@link #CURVE_SLOT} from the first transfer of the run. */
    private static final Duration CURVE_SLOT = Duration.ofSeconds(10);

    private final AtomicLongArray committedPerSlot = new AtomicLongArray(
            (int) (WARMUP.plus(OPEN_LOOP_SETTLE).plus(MEASURE).toSeconds() / CURVE_SLOT.toSeconds()) + 2);
    private volatile long firstTransferNanos;
    private long committedAtLastSample;

    @Test
    void crossBankTransfers() throws Exception {
        // bench.sh empties it before the run (the load generator's log is already open by now).
        Files.createDirectories(GC_LOGS);
        // Each service logs its GC pauses ({name} is the service's name), to be set beside the slowest moments.
        System.setProperty(
                "twophase.jvm-flags",
                System.getProperty("bench.jvm-flags", "-Xms512m -Xmx512m") + " " + GcPauses.logFlag(GC_LOGS, "{name}"));
        String javaBinary = System.getProperty("bench.java");
        if (javaBinary != null && !javaBinary.isBlank()) {
            System.setProperty("twophase.java", javaBinary);
        }
        List<String> settings = new ArrayList<>(List.of("--twophase.log.force-on-commit=" + FORCE));
        for (String arg : System.getProperty("bench.service-args", "").trim().split("\\s+")) {
            if (!arg.isEmpty()) {
                settings.add(arg);
            }
        }
        if (NODES > 1 && STORE != Store.POSTGRESQL) {
            throw new IllegalArgumentException("a coordinator cluster (bench.nodes=" + NODES + ") needs PostgreSQL");
        }
        long warmedWith = LoadGeneratorWarmUp.run(CLIENTS, LOADGEN_WARMUP);
        System.out.printf(
                "load generator warmed first: %d transfers to a stand-in in %d s%n",
                warmedWith, LOADGEN_WARMUP.toSeconds());
        try (Cluster cluster = NODES == 1
                        ? Cluster.start("bench", settings, STORE)
                        : Cluster.startCoordinatorCluster("bench", settings);
                LoadClient client = new LoadClient(
                        cluster.coordinators().stream().map(ServiceProcess::url).toList(),
                        cluster.credentials().apiKey(),
                        OPEN_LOOP_THREADS)) {
            Ledger ledger = new Ledger(cluster.api());
            List<String> payers = new ArrayList<>();
            List<String> payees = new ArrayList<>();
            for (int i = 0; i < ACCOUNTS_PER_BANK; i++) {
                payers.add(ledger.open(BANK_A, "payer", "100000000.00"));
                payees.add(ledger.open(BANK_B, "payee", "0.00"));
            }
            Runnable oneTransfer = () -> transfer(client, payers, payees);
            String startedTogether = startToUp(cluster.all());

            firstTransferNanos = System.nanoTime();
            closedLoop(oneTransfer, WARMUP);
            List<ServiceMetrics> before;
            ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
            Runnable startSampling = () -> sampler.scheduleAtFixedRate(
                    () -> printSample(cluster, measuredFromNanos), SAMPLE_EVERY, SAMPLE_EVERY, TimeUnit.SECONDS);
            if (MODE.equals("open")) {
                // One loop at the offered rate: unmeasured for OPEN_LOOP_SETTLE (the switch from the saturated closed
                // loop is not the system's latency at that rate), then measured. The services' counters are read
                // SNAPSHOT_LEAD before the measured part, off the loop's thread, so that reading them (42 HTTP
                // requests) is not inside the measured run either; what the services did is then divided by the
                // transfers committed since that reading.
                openLoopSenders.prestartAllCoreThreads();
                CompletableFuture<List<ServiceMetrics>> snapshot = new CompletableFuture<>();
                openLoop(
                        oneTransfer,
                        OPEN_LOOP_SETTLE.plus(MEASURE),
                        OPEN_LOOP_SETTLE.minus(SNAPSHOT_LEAD),
                        () -> CompletableFuture.runAsync(() -> {
                            snapshot.complete(metrics(cluster));
                            countingForServices = true;
                        }),
                        OPEN_LOOP_SETTLE,
                        due -> {
                            startMeasuring(due);
                            startSampling.run();
                        });
                before = snapshot.join();
            } else {
                before = metrics(cluster);
                countingForServices = true;
                startMeasuring(System.nanoTime());
                startSampling.run();
                closedLoop(oneTransfer, MEASURE);
            }
            // Let a sample that is being printed finish (interrupting it turned its readings into NaN).
            sampler.shutdown();
            sampler.awaitTermination(10, TimeUnit.SECONDS);
            measuring = false;
            openLoopSenders.shutdown();
            List<ServiceMetrics> after = metrics(cluster);
            report(before, after);
            printWarmUpCurve();
            System.out.println("start to UP, all started together on an empty store: " + startedTogether);
            // Each one stopped (SIGTERM) and started again while the others run, its store holding the whole run.
            for (ServiceProcess service : cluster.all()) {
                service.stop();
                service.start();
            }
            System.out.println("start to UP, each restarted alone with the run's data: " + startToUp(cluster.all()));
        }
    }

    private static String startToUp(List<ServiceProcess> services) {
        return String.join(
                ", ",
                services.stream()
                        .map(service -> String.format(
                                Locale.ROOT,
                                "%s %.1f s",
                                service.name(),
                                service.startToUp().toMillis() / 1000.0))
                        .toList());
    }

    /**
     * Committed transfers per second in each {@link #CURVE_SLOT} from the first transfer after the services came up:
     * how soon a fresh start reaches full speed. Compares the first 30 s with the measured run.
     */
    private void printWarmUpCurve() {
        long slotSeconds = CURVE_SLOT.toSeconds();
        List<String> rates = new ArrayList<>();
        for (int i = 0; i < committedPerSlot.length(); i++) {
            long committed = committedPerSlot.get(i);
            if (committed > 0 || i * slotSeconds < WARMUP.toSeconds()) {
                rates.add(String.valueOf(committed / slotSeconds));
            }
        }
        System.out.printf(
                Locale.ROOT,
                "warm-up curve, committed/s in each %d s from the first transfer: %s%n",
                slotSeconds,
                String.join(" ", rates));
        long firstThirty = 0;
        for (int i = 0; i < 30 / slotSeconds; i++) {
            firstThirty += committedPerSlot.get(i);
        }
        double steady = commits.sum() / (MEASURE.toMillis() / 1000.0);
        System.out.printf(
                Locale.ROOT,
                "first 30 s: %.0f committed/s, %.0f %% of the measured run's %.0f/s%n",
                firstThirty / 30.0,
                firstThirty / 30.0 * 100 / steady,
                steady);
    }

    private void startMeasuring(long fromNanos) {
        latency.reset();
        measuredFromMillis = System.currentTimeMillis() - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - fromNanos);
        measuredFromNanos = fromNanos;
        measuring = true;
    }

    private void transfer(LoadClient client, List<String> payers, List<String> payees) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String from = payers.get(random.nextInt(payers.size()));
        String to = payees.get(random.nextInt(payees.size()));
        BigDecimal amount = BigDecimal.valueOf(1 + random.nextInt(100), 2);
        int status = client.transfer(BANK_A, from, BANK_B, to, amount);
        if (status == 201) {
            int slot = (int) ((System.nanoTime() - firstTransferNanos) / CURVE_SLOT.toNanos());
            if (slot < committedPerSlot.length()) {
                committedPerSlot.incrementAndGet(slot);
            }
            if (countingForServices) {
                committedForServices.increment();
            }
        }
        if (!measuring) {
            return;
        }
        switch (status) {
            case 201 -> commits.increment();
            case 409 -> aborts.increment();
            default -> failures.increment();
        }
    }

    /** {@link #CLIENTS} threads, each sending its next transfer as soon as the last one is answered. */
    private void closedLoop(Runnable transfer, Duration duration) throws InterruptedException {
        long end = System.nanoTime() + duration.toNanos();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        for (int c = 0; c < CLIENTS; c++) {
            clients.execute(() -> {
                while (System.nanoTime() < end) {
                    long started = System.nanoTime();
                    transfer.run();
                    record(started);
                }
            });
        }
        clients.shutdown();
        clients.awaitTermination(duration.toSeconds() + 60, TimeUnit.SECONDS);
    }

    /**
     * Starts one transfer every 1/{@link #RATE} s, on schedule whatever the answers do; each latency is measured from
     * when the transfer was due, so time spent queued behind a slow answer counts (no coordinated omission).
     */
    private void openLoop(
            Runnable transfer,
            Duration duration,
            Duration snapshotAt,
            Runnable snapshot,
            Duration measureFrom,
            LongConsumer startMeasuring)
            throws InterruptedException {
        long interval = TimeUnit.SECONDS.toNanos(1) / RATE;
        long start = System.nanoTime();
        int count = (int) (duration.toSeconds() * RATE);
        long snapshotIndex = snapshotAt.toSeconds() * RATE;
        long measureIndex = measureFrom.toSeconds() * RATE;
        CountDownLatch done = new CountDownLatch(count);
        for (long i = 0; i < count; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            if (i == snapshotIndex) {
                snapshot.run();
            }
            if (i == measureIndex) {
                startMeasuring.accept(due);
            }
            openLoopSenders.execute(() -> {
                try {
                    transfer.run();
                    record(due);
                } finally {
                    done.countDown();
                }
            });
        }
        done.await(60, TimeUnit.SECONDS);
    }

    /** One progress line: how long, how many committed so far, and each service's heap and data directory. */
    private void printSample(Cluster cluster, long measuredFrom) {
        long committed = commits.sum();
        StringBuilder line = new StringBuilder(String.format(
                Locale.ROOT,
                "  at %3d s: %d committed (%.0f/s since the last line)",
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - measuredFrom),
                committed,
                (committed - committedAtLastSample) / (double) SAMPLE_EVERY));
        committedAtLastSample = committed;
        for (ServiceMetrics now : metrics(cluster)) {
            line.append(String.format(
                    Locale.ROOT,
                    " | %s heap %.0f MB, live after GC %s, data %.0f MB",
                    now.service(),
                    now.heapUsedBytes() / 1e6,
                    liveAfterGc(now),
                    now.dataBytes() / 1e6));
        }
        System.out.println(line);
    }

    private void record(long startedNanos) {
        // Only transfers due once measuring began: one due earlier may be answered after it.
        if (measuring && startedNanos >= measuredFromNanos) {
            long micros = (System.nanoTime() - startedNanos) / 1000;
            latency.recordValue(micros);
            int slot = (int) ((startedNanos - measuredFromNanos) / TimeUnit.MILLISECONDS.toNanos(SLOT_MILLIS));
            if (slot >= 0 && slot < slowest.length()) {
                slowest.accumulateAndGet(slot, micros, Math::max);
            }
        }
    }

    /**
     * The moments with the slowest transfers, by when they started, with the wall-clock time: to line up with the
     * services' GC logs and their own logs. A tail made of a few stalls shows as a few slots far above the rest.
     */
    private void printSlowestMoments() {
        List<Integer> slots = new ArrayList<>();
        for (int i = 0; i < slowest.length(); i++) {
            if (slowest.get(i) > 0) {
                slots.add(i);
            }
        }
        slots.sort(Comparator.comparingLong(slowest::get).reversed());
        DateTimeFormatter clock = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
        GcPauses gc = GcPauses.read(GC_LOGS);
        System.out.printf(
                Locale.ROOT,
                "slowest moments (transfers started in one %d ms slot, UTC; GC pauses from the slot's start to its"
                        + " slowest transfer's end):%n",
                SLOT_MILLIS);
        for (int slot : slots.subList(0, Math.min(8, slots.size()))) {
            long offsetMillis = slot * SLOT_MILLIS;
            Instant from = Instant.ofEpochMilli(measuredFromMillis + offsetMillis);
            long slowestMicros = slowest.get(slot);
            String pauses = gc.during(from, from.plusMillis(SLOT_MILLIS + slowestMicros / 1000));
            System.out.printf(
                    Locale.ROOT,
                    "  at %6.1f s (%s): slowest %.1f ms; GC: %s%n",
                    offsetMillis / 1000.0,
                    clock.format(from),
                    slowestMicros / 1000.0,
                    pauses.isEmpty() ? "none" : pauses);
        }
    }

    private static List<ServiceMetrics> metrics(Cluster cluster) {
        return cluster.all().stream().map(ServiceMetrics::of).toList();
    }

    private void report(List<ServiceMetrics> before, List<ServiceMetrics> after) {
        var histogram = latency.getIntervalHistogram();
        double seconds = MEASURE.toMillis() / 1000.0;
        long committed = commits.sum();
        System.out.printf(
                Locale.ROOT,
                "%nbenchmark: %s loop, %s, store %s, coordinator nodes %d, log forced on commit: %s, %d cores, Java %s"
                        + " (services: %s)%n",
                MODE,
                MODE.equals("open") ? RATE + " transfers/s offered" : CLIENTS + " clients",
                STORE,
                NODES,
                FORCE,
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.version"),
                System.getProperty("twophase.java", "java"));
        System.out.printf(
                Locale.ROOT,
                "warm-up %d s, measured %d s: committed/s %.0f  aborted %d  failed %d%n",
                WARMUP.toSeconds(),
                MEASURE.toSeconds(),
                committed / seconds,
                aborts.sum(),
                failures.sum());
        System.out.printf(
                Locale.ROOT,
                "latency ms: p50 %.1f  p90 %.1f  p99 %.1f  p99.9 %.1f  max %.1f%n",
                histogram.getValueAtPercentile(50) / 1000.0,
                histogram.getValueAtPercentile(90) / 1000.0,
                histogram.getValueAtPercentile(99) / 1000.0,
                histogram.getValueAtPercentile(99.9) / 1000.0,
                histogram.getMaxValue() / 1000.0);
        printSlowestMoments();
        System.out.println("per committed transfer, by service:");
        // The services' counters were read a little before the measured run began (open mode): divide by every
        // transfer committed since that reading. Those committed while it was being taken (42 requests, under a
        // second) are not counted, so in open mode the figures read up to about 1 % high (3.05 log writes where
        // the coordinator makes 3.02).
        double perTransfer = Math.max(committedForServices.sum(), 1);
        for (int i = 0; i < after.size(); i++) {
            ServiceMetrics delta = after.get(i).minus(before.get(i));
            System.out.printf(
                    Locale.ROOT,
                    "  %-12s HTTP requests in %.2f  log writes %.2f  store commits %.3f  fsyncs %.3f  CPU %.2f ms"
                            + "  allocated %.0f KB%n",
                    delta.service(),
                    delta.httpRequests() / perTransfer,
                    delta.logWrites() / perTransfer,
                    delta.logCommits() / perTransfer,
                    delta.logForces() / perTransfer,
                    delta.cpuSeconds() * 1000 / perTransfer,
                    delta.allocatedBytes() / 1024 / perTransfer);
        }
        // A transfer waits for every service it passes through: each one's pauses land in the latency tail.
        System.out.println("GC pauses during the measured run:");
        for (int i = 0; i < after.size(); i++) {
            ServiceMetrics delta = after.get(i).minus(before.get(i));
            System.out.printf(
                    Locale.ROOT,
                    "  %-12s %.0f pauses, %.0f ms in all (%.1f %% of the run), longest %.0f ms (in the last 2 minutes)%n",
                    delta.service(),
                    delta.gcPauses(),
                    delta.gcPauseSeconds() * 1000,
                    delta.gcPauseSeconds() * 100 / seconds,
                    delta.gcPauseMaxSeconds() * 1000);
        }
        System.out.println("memory and files, before -> after the measured run:");
        for (int i = 0; i < after.size(); i++) {
            ServiceMetrics start = before.get(i);
            ServiceMetrics end = after.get(i);
            System.out.printf(
                    Locale.ROOT,
                    "  %-12s heap used %.0f -> %.0f MB  old gen %.0f -> %.0f MB  live after GC %s -> %s"
                            + "  data dir %.0f -> %.0f MB%n",
                    end.service(),
                    start.heapUsedBytes() / 1e6,
                    end.heapUsedBytes() / 1e6,
                    start.oldGenBytes() / 1e6,
                    end.oldGenBytes() / 1e6,
                    liveAfterGc(start),
                    liveAfterGc(end),
                    start.dataBytes() / 1e6,
                    end.dataBytes() / 1e6);
        }
    }

    /** The JVM reports 0 until a collection has measured the old generation: say so rather than print "0 MB". */
    private static String liveAfterGc(ServiceMetrics metrics) {
        return metrics.liveDataBytes() > 0
                ? String.format(Locale.ROOT, "%.0f MB", metrics.liveDataBytes() / 1e6)
                : "not measured yet";
    }
}
