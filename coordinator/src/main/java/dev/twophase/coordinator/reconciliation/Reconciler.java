package dev.twophase.coordinator.reconciliation;

import dev.twophase.coordinator.dashboard.BankOpsClient;
import dev.twophase.coordinator.log.TransactionLog;
import dev.twophase.coordinator.log.TransactionRecord;
import dev.twophase.coordinator.transfer.TransferIds;
import dev.twophase.protocol.DecisionsPage;
import dev.twophase.web.failure.FailureWords;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * Compares the coordinator's decided transactions with what each bank applied, over a window of time: periodically
 * (every {@code twophase.reconciliation.interval}) and on demand. The coordinator's log is read a page at a time and
 * not kept; of each bank's decisions in the window (the signed read-only {@code GET /2pc/decisions}) only state, net
 * amount and time are kept, about 250 bytes a transaction, at most {@code max-transactions} a bank. The last report is kept for the dashboard, and its disagreements are the gauge
 * {@code twophase.reconciliation.mismatches}.
 */
@Component
public class Reconciler {

    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);
    private static final int PAGE = 1000;

    private final TransactionLog transactionLog;
    private final BankOpsClient banks;
    private final ReconciliationProperties properties;
    private final TaskScheduler scheduler;
    private final Clock clock;
    private final AtomicReference<ReconciliationReport> last = new AtomicReference<>();
    private final Timer runs;

    Reconciler(
            TransactionLog transactionLog,
            BankOpsClient banks,
            ReconciliationProperties properties,
            TaskScheduler scheduler,
            MeterRegistry meters,
            Clock clock) {
        this.transactionLog = transactionLog;
        this.banks = banks;
        this.properties = properties;
        this.scheduler = scheduler;
        this.clock = clock;
        this.runs = Timer.builder("twophase.reconciliation.duration")
                .description("how long one reconciliation took, reading both sides and comparing")
                .register(meters);
        Gauge.builder(
                        "twophase.reconciliation.mismatches",
                        last,
                        report -> report.get() == null ? 0 : report.get().disagreementCount())
                .description("disagreements between the coordinator's log and the banks' in the last reconciliation")
                .register(meters);
        Gauge.builder(
                        "twophase.reconciliation.unreadable.banks",
                        last,
                        report -> report.get() == null
                                ? 0
                                : report.get().unreadableBanks().size())
                .description("banks the last reconciliation could not read (its report is incomplete)")
                .register(meters);
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        if (!properties.interval().isZero()) {
            scheduler.scheduleWithFixedDelay(
                    this::runPeriodically, clock.instant().plus(properties.interval()), properties.interval());
        }
    }

    /** The last report, periodic or on demand. */
    public Optional<ReconciliationReport> last() {
        return Optional.ofNullable(last.get());
    }

    /** Compares the transactions begun in {@code [from, to)} now, and keeps the report as the last one. */
    public ReconciliationReport reconcile(Instant from, Instant to) {
        long started = System.nanoTime();
        Instant now = clock.instant();
        Map<String, Comparison.BankSide> sides = new LinkedHashMap<>();
        Map<String, String> unreadable = new LinkedHashMap<>();
        for (String bank : banks.banks().keySet()) {
            try {
                // A bank applies a decision after the coordinator made it: its side of the window runs lag longer.
                Map<String, Decided> decided = decidedBetween(bank, from, to.plus(properties.lag()));
                // A look-up that fails fails the run: a missing answer must not read as "the bank has no record".
                sides.put(bank, new Comparison.BankSide(decided, txId -> banks.transaction(bank, txId)
                        .map(Decided::of)));
            } catch (WindowTooLarge e) {
                throw e;
            } catch (RuntimeException e) {
                unreadable.put(bank, FailureWords.describe(e, null).text());
            }
        }
        Comparison comparison = new Comparison(to, now, properties.inDoubtAfter(), sides);
        String lowest = TransferIds.lowestAt(from);
        String below = TransferIds.lowestAt(to);
        String after = "";
        while (true) {
            List<TransactionRecord> page = transactionLog.findByIdRange(lowest, below, after, PAGE);
            comparison.coordinatorPage(page);
            if (page.size() < PAGE) {
                break;
            }
            after = page.get(page.size() - 1).txId();
        }
        List<BankTotals> totals = comparison.finish(transactionLog::find);
        ReconciliationReport report = new ReconciliationReport(
                from,
                to,
                now,
                Duration.ofNanos(System.nanoTime() - started).toMillis(),
                comparison.transactions(),
                totals,
                comparison.disagreementCount(),
                comparison.disagreements(),
                unreadable);
        runs.record(Duration.ofMillis(report.tookMillis()));
        last.set(report);
        if (report.agrees()) {
            log.info(
                    "Reconciliation of {} to {}: {} transactions, the books agree ({} ms)",
                    from,
                    to,
                    report.transactions(),
                    report.tookMillis());
        } else {
            log.warn(
                    "Reconciliation of {} to {}: {} disagreement(s), unreadable banks {}",
                    from,
                    to,
                    report.disagreementCount(),
                    unreadable.keySet());
        }
        return report;
    }

    private void runPeriodically() {
        Instant to = clock.instant().minus(properties.lag());
        try {
            reconcile(to.minus(properties.window()), to);
        } catch (RuntimeException e) {
            log.warn("Reconciliation failed: {}", e.toString());
        }
    }

    private Map<String, Decided> decidedBetween(String bank, Instant from, Instant to) {
        Map<String, Decided> decided = new LinkedHashMap<>();
        Instant afterDecidedAt = null;
        String afterTxId = null;
        while (true) {
            DecisionsPage page = banks.decisions(bank, from, to, afterDecidedAt, afterTxId);
            page.transactions().forEach(tx -> decided.put(tx.txId(), Decided.of(tx)));
            if (decided.size() > properties.maxTransactions()) {
                throw new WindowTooLarge(bank, properties.maxTransactions());
            }
            if (page.last()) {
                return decided;
            }
            afterDecidedAt = page.nextAfterDecidedAt();
            afterTxId = page.nextAfterTxId();
        }
    }
}
