package dev.twophase.coordinator.log;

import com.sun.management.OperatingSystemMXBean;
import dev.twophase.coordinator.transaction.Ballot;
import dev.twophase.coordinator.transaction.Transfer;
import dev.twophase.protocol.Decision;
import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * The coordinator's log alone, on real H2 files with the production settings: {@code threads} callers each run the
 * log writes of a committed two-bank transfer (begin, decision, both acknowledgements) as fast as the log lets them.
 * Prints transfers/s and the process's CPU per transfer, which is what the log's schema and SQL decide. Not a test;
 * run by hand (src-docs/benchmarks.md):
 *
 * <pre>
 * ./mvnw -q -pl coordinator -am test-compile
 * java -cp "$(cat coordinator/target/test-classpath.txt):coordinator/target/classes:coordinator/target/test-classes" \
 *     dev.twophase.coordinator.log.TransactionLogBenchmark [threads] [warm-up s] [measured s]
 * </pre>
 */
public final class TransactionLogBenchmark {

    private TransactionLogBenchmark() {}

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        int warmupSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int measuredSeconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        Path dataDir = Files.createTempDirectory("log-benchmark");
        Transfer transfer = Transfer.between("bank-a", "alice", "bank-b", "bob", new BigDecimal("1.00"));
        Map<String, Ballot> yes = Map.of("bank-a", Ballot.YES, "bank-b", Ballot.YES);
        List<String> banks = List.of("bank-a", "bank-b");
        LongAdder transfers = new LongAdder();
        AtomicBoolean running = new AtomicBoolean(true);
        try (H2TransactionLogs store = new H2TransactionLogs(dataDir)) {
            TransactionLog log = store.log();
            List<Thread> callers = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Thread caller = new Thread(() -> {
                    while (running.get()) {
                        String txId = UUID.randomUUID().toString();
                        Instant now = Instant.now();
                        log.begin(txId, transfer, null, "hash", now);
                        log.logDecision(txId, Decision.COMMIT, null, yes, now, now.plusSeconds(10));
                        log.recordAcknowledgements(txId, banks, now);
                        transfers.increment();
                    }
                });
                caller.start();
                callers.add(caller);
            }
            Thread.sleep(warmupSeconds * 1000L);
            OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            long cpuBefore = os.getProcessCpuTime();
            long countBefore = transfers.sum();
            long start = System.nanoTime();
            Thread.sleep(measuredSeconds * 1000L);
            long count = transfers.sum() - countBefore;
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuMs = (os.getProcessCpuTime() - cpuBefore) / 1e6;
            running.set(false);
            for (Thread caller : callers) {
                caller.join();
            }
            System.out.printf(
                    "log benchmark: %d threads, %d s measured: %.0f transfers/s, CPU %.3f ms per transfer%n",
                    threads, measuredSeconds, count / seconds, cpuMs / count);
        }
    }
}
