package dev.twophase.coordinator.log;

import dev.twophase.fault.WriteFaults;
import dev.twophase.store.GroupCommit;
import dev.twophase.store.jdbc.ServiceStore;
import dev.twophase.store.jdbc.StoreMetrics;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The log the coordinator uses: the JDBC log, wrapped in storage-fault injection only when a test configures
 * {@code twophase.fault.log-write-failures.*} or {@code twophase.fault.log-write-delays.*} (in production the
 * wrapper does not exist).
 */
@Configuration(proxyBeanMethods = false)
class TransactionLogConfiguration {

    /** The log's one writer, on the service's store; opened once Flyway has migrated the schema. */
    @Bean(destroyMethod = "close")
    @DependsOnDatabaseInitialization
    GroupCommit logWrites(ServiceStore store, DataSource dataSource) {
        return store.groupCommit("coordinator-log", dataSource);
    }

    /**
     * On H2, Flyway migrates only after the journal a kill -9 left behind is redone on the schema it was written for (a
     * migration such as V5 drops tables that the journal's statements name).
     */
    @Bean
    FlywayMigrationStrategy journalFirstMigration(ServiceStore store, DataSource dataSource) {
        return store.migration(dataSource);
    }

    /** Group-commit counters and the store's size on /actuator/metrics. */
    @Bean
    MeterBinder logWritesMetrics(GroupCommit logWrites, ServiceStore store, JdbcTemplate jdbc) {
        return StoreMetrics.of(logWrites, store, jdbc);
    }

    @Bean
    TransactionLog transactionLog(
            JdbcTemplate jdbc, GroupCommit logWrites, Supplier<Owner> clusterMembership, Environment environment) {
        TransactionLog log = new JdbcTransactionLog(jdbc, logWrites, clusterMembership);
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
