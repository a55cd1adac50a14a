package dev.twophase.coordinator.log;

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
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The log the coordinator uses: the JDBC log, wrapped in storage-fault injection only when a test configures
 * {@code twophase.fault.log-write-failures.*} or {@code twophase.fault.log-write-delays.*} (in production the
 * wrapper does not exist).
 */
@Configuration(proxyBeanMethods = false)
class TransactionLogConfiguration {

    @Bean
    TransactionLog transactionLog(JdbcTemplate jdbc, TransactionTemplate transactions, Environment environment) {
        TransactionLog log = new JdbcTransactionLog(jdbc, transactions);
        Binder binder = Binder.get(environment);
        WriteFaults<FaultInjectingTransactionLog.Write> faults = new WriteFaults<>(
                FaultInjectingTransactionLog.Write.class,
                binder.bind("twophase.fault.log-write-failures", Bindable.mapOf(String.class, Integer.class))
                        .orElse(Map.of()),
                binder.bind("twophase.fault.log-write-delays", Bindable.mapOf(String.class, Duration.class))
                        .orElse(Map.of()),
                DataAccessResourceFailureException::new);
        return faults.isEmpty() ? log : new FaultInjectingTransactionLog(log, faults);
    }
}
