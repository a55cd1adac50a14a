package dev.twophase.coordinator.retention;

import dev.twophase.coordinator.config.CoordinatorProperties;
import dev.twophase.coordinator.dashboard.AuditLog;
import dev.twophase.coordinator.log.TransactionLog;
import dev.twophase.coordinator.transfer.TransferIds;
import dev.twophase.store.retention.RetentionJob;
import dev.twophase.store.retention.RetentionSettings;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/**
 * The coordinator's retention: ended transactions (with their idempotency keys and delivery-failure history) once older
 * than {@code twophase.retention.period}, and the audit log only if {@code twophase.retention.audit-log} is set. Starts
 * once recovery is done (the service is ready); why each deletion is safe is in src-docs/protocol.md, "Retention".
 */
@Configuration(proxyBeanMethods = false)
class RetentionConfiguration {

    @Bean(destroyMethod = "close")
    RetentionJob retention(
            CoordinatorProperties properties,
            TransactionLog transactionLog,
            AuditLog auditLog,
            MeterRegistry registry,
            Clock clock) {
        RetentionSettings settings = properties.retention();
        RetentionJob job = new RetentionJob(settings, registry, clock)
                .retire(
                        "transactions",
                        settings.period(),
                        (cutoff, limit) -> transactionLog.retireEnded(cutoff, TransferIds.lowestAt(cutoff), limit));
        if (settings.auditLog() != null) {
            job.retire("audit_log", settings.auditLog(), auditLog::retireBefore);
        }
        return job;
    }

    @EventListener(ApplicationReadyEvent.class)
    void start(ApplicationReadyEvent ready) {
        ready.getApplicationContext().getBean(RetentionJob.class).start();
    }
}
