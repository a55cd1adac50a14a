package dev.twophase.coordinator.recovery;

import dev.twophase.coordinator.config.CoordinatorProperties;
import dev.twophase.coordinator.log.PendingDelivery;
import dev.twophase.coordinator.log.TransactionLog;
import dev.twophase.coordinator.transaction.DecisionDelivery;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;

/** The long tail of phase 2: decisions are retransmitted until every bank acknowledges them. */
@Component
class RedeliveryLoop {

    private static final Logger log = LoggerFactory.getLogger(RedeliveryLoop.class);

    private final TransactionLog transactionLog;
    private final DecisionDelivery delivery;
    private final ExecutorService executor;
    private final TaskScheduler scheduler;
    private final CoordinatorProperties properties;
    private final Clock clock;

    RedeliveryLoop(
            TransactionLog transactionLog,
            DecisionDelivery delivery,
            ExecutorService protocolExecutor,
            TaskScheduler scheduler,
            CoordinatorProperties properties,
            Clock clock) {
        this.transactionLog = transactionLog;
        this.delivery = delivery;
        this.executor = protocolExecutor;
        this.scheduler = scheduler;
        this.properties = properties;
        this.clock = clock;
    }

    @EventListener(ApplicationReadyEvent.class)
    void start() {
        scheduler.scheduleWithFixedDelay(
                this::redeliverDue, properties.redelivery().pollInterval());
    }

    void redeliverDue() {
        try {
            Instant now = clock.instant();
            for (PendingDelivery due : transactionLog.claimDueDeliveries(
                    now, now.plus(delivery.lease()), properties.redelivery().batchSize())) {
                executor.execute(() -> delivery.deliver(due));
            }
        } catch (DataAccessResourceFailureException storeDown) {
            // The log's database cannot be reached (a PostgreSQL restart): one line, not a stack trace per tick.
            log.warn(
                    "redelivery pass skipped, the log cannot be reached: {}",
                    storeDown.getMostSpecificCause().toString());
        } catch (RuntimeException e) {
            // The loop must outlive any one failure; the next tick tries again.
            log.error("redelivery pass failed", e);
        }
    }
}
