package dev.twophase.bank.retention;

import dev.twophase.bank.config.BankProperties;
import dev.twophase.bank.participant.ParticipantLog;
import dev.twophase.store.GroupCommit;
import dev.twophase.store.retention.RetentionJob;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/**
 * The bank's retention: decided transactions (and abort tombstones) with their operations, once older than {@code
 * twophase.retention.period}; never a prepared one. Starts once recovery is done; why each deletion is safe is in
 * src-docs/protocol.md, "Retention".
 */
@Configuration(proxyBeanMethods = false)
class RetentionConfiguration {

    @Bean(destroyMethod = "close")
    RetentionJob retention(
            BankProperties properties,
            ParticipantLog participantLog,
            GroupCommit storeWrites,
            MeterRegistry registry,
            Clock clock) {
        return new RetentionJob(properties.retention(), registry, clock)
                .retire(
                        "participant_records",
                        properties.retention().period(),
                        (cutoff, limit) -> storeWrites.write(() -> participantLog.retireDecided(cutoff, limit)));
    }

    @EventListener(ApplicationReadyEvent.class)
    void start(ApplicationReadyEvent ready) {
        ready.getApplicationContext().getBean(RetentionJob.class).start();
    }
}
