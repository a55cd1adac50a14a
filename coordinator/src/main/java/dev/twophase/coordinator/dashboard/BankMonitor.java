package dev.twophase.coordinator.dashboard;

import dev.twophase.coordinator.config.CoordinatorProperties;
import dev.twophase.coordinator.participant.BankFailures;
import dev.twophase.protocol.ParticipantTransaction;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/**
 * Reads every bank's health and in-doubt list on a fixed schedule and keeps the latest of each, so that any number of
 * open dashboards cost the banks one poll per interval, and a slow bank slows only this poller.
 */
@Component
class BankMonitor {

    private static final Logger log = LoggerFactory.getLogger(BankMonitor.class);

    private final BankOpsClient banks;
    private final TaskScheduler scheduler;
    private final Duration interval;
    private final BankFailures failures;
    private final Duration checkTimeout;
    private final Clock clock;
    private final Map<String, BankSnapshot> latest = new ConcurrentHashMap<>();

    BankMonitor(
            BankOpsClient banks,
            TaskScheduler scheduler,
            CoordinatorProperties properties,
            BankFailures failures,
            Clock clock) {
        this.failures = failures;
        this.checkTimeout = BankOpsClient.READ_TIMEOUT;
        this.banks = banks;
        this.scheduler = scheduler;
        this.interval = properties.dashboard().bankPollInterval();
        this.clock = clock;
        banks.banks().forEach((id, url) -> latest.put(id, BankSnapshot.notYetChecked(id, url.toString())));
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        scheduler.scheduleWithFixedDelay(this::checkAll, interval);
    }

    /** The latest snapshot of every bank, by bank id. */
    Map<String, BankSnapshot> snapshots() {
        return Map.copyOf(latest);
    }

    void checkAll() {
        for (String bank : banks.banks().keySet()) {
            latest.put(bank, check(bank));
        }
    }

    private BankSnapshot check(String bank) {
        String url = banks.banks().get(bank).toString();
        Instant at = clock.instant();
        long started = System.nanoTime();
        try {
            banks.checkHealth(bank);
            long latency = Duration.ofNanos(System.nanoTime() - started).toMillis();
            List<ParticipantTransaction> inDoubt = banks.inDoubt(bank);
            return new BankSnapshot(bank, url, true, at, latency, null, inDoubt);
        } catch (RuntimeException e) {
            BankSnapshot before = latest.get(bank);
            if (before == null || before.reachable()) {
                log.warn("{} is unreachable from the dashboard: {}", bank, e.toString());
            }
            return new BankSnapshot(
                    bank,
                    url,
                    false,
                    at,
                    null,
                    failures.describe(bank, e, checkTimeout).text(),
                    List.of());
        }
    }
}
