package dev.twophase.bank.participant;

import dev.twophase.fault.WriteFaults;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The log the bank uses: the JDBC log, wrapped in storage-fault injection only when a test configures
 * {@code twophase.fault.log-write-failures.*} or {@code twophase.fault.log-write-delays.*} (kinds: prepared,
 * aborted, decision). In production the wrapper does not exist.
 */
@Configuration(proxyBeanMethods = false)
class ParticipantLogConfiguration {

    @Bean
    ParticipantLog participantLog(JdbcTemplate jdbc, Environment environment) {
        ParticipantLog log = new JdbcParticipantLog(jdbc);
        Binder binder = Binder.get(environment);
        WriteFaults<FaultInjectingParticipantLog.Write> faults = new WriteFaults<>(
                FaultInjectingParticipantLog.Write.class,
                binder.bind("twophase.fault.log-write-failures", Bindable.mapOf(String.class, Integer.class))
                        .orElse(Map.of()),
                binder.bind("twophase.fault.log-write-delays", Bindable.mapOf(String.class, Duration.class))
                        .orElse(Map.of()),
                DataAccessResourceFailureException::new);
        return faults.isEmpty() ? log : new FaultInjectingParticipantLog(log, faults);
    }
}
