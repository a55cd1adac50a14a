package dev.twophase.coordinator.log;

import java.util.Map;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The log the coordinator uses: the JDBC log, wrapped in storage-fault injection only when a test configures
 * {@code twophase.fault.log-write-failures.*} (in production the wrapper does not exist).
 */
@Configuration(proxyBeanMethods = false)
class TransactionLogConfiguration {

    @Bean
    TransactionLog transactionLog(JdbcTemplate jdbc, TransactionTemplate transactions, Environment environment) {
        TransactionLog log = new JdbcTransactionLog(jdbc, transactions);
        Map<String, Integer> failures = Binder.get(environment)
                .bind("twophase.fault.log-write-failures", Bindable.mapOf(String.class, Integer.class))
                .orElse(Map.of());
        return failures.isEmpty() ? log : new FaultInjectingTransactionLog(log, new LogWriteFaults(failures));
    }
}
