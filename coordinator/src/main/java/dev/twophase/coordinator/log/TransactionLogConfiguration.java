package dev.twophase.coordinator.log;

import dev.twophase.coordinator.config.CoordinatorProperties;
import dev.twophase.fault.WriteFaults;
import dev.twophase.store.GroupCommit;
import dev.twophase.store.jdbc.JournalFirstMigration;
import dev.twophase.store.jdbc.JournaledJdbcStore;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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

    /** The log's one writer, on the H2 database and its redo journal; opened once Flyway has migrated the schema. */
    @Bean(destroyMethod = "close")
    @DependsOnDatabaseInitialization
    GroupCommit logWrites(DataSource dataSource, CoordinatorProperties properties) {
        return JournaledJdbcStore.groupCommit("coordinator-log", dataSource, journalFile(properties), properties.log());
    }

    private static Path journalFile(CoordinatorProperties properties) {
        return properties.dataDir().resolve("coordinator.journal");
    }

    /**
     * Flyway migrates only after the journal a kill -9 left behind is redone on the schema it was written for (a
     * migration such as V5 drops tables that the journal's statements name).
     */
    @Bean
    FlywayMigrationStrategy journalFirstMigration(DataSource dataSource, CoordinatorProperties properties) {
        return new JournalFirstMigration(dataSource, journalFile(properties), properties.log());
    }

    /** Group-commit counters on /actuator/metrics: writes, store commits and forced writes (fsync) so far. */
    @Bean
    MeterBinder logWritesMetrics(GroupCommit logWrites) {
        return registry -> {
            FunctionCounter.builder("twophase.log.writes", logWrites, GroupCommit::writes)
                    .description("writes made durable")
                    .register(registry);
            FunctionCounter.builder("twophase.log.commits", logWrites, GroupCommit::commits)
                    .description("store commits, each holding a group of writes")
                    .register(registry);
            FunctionCounter.builder("twophase.log.forces", logWrites, GroupCommit::forces)
                    .description("forced writes to the device (fsync)")
                    .register(registry);
            Gauge.builder("twophase.log.queued", logWrites, GroupCommit::queued)
                    .description("writes waiting for the writer")
                    .register(registry);
            Timer latency = Timer.builder("twophase.log.write")
                    .description("one write from the call until it is durable (queue, batch, commit, force)")
                    .publishPercentileHistogram()
                    .register(registry);
            logWrites.reportLatencyTo(nanos -> latency.record(nanos, TimeUnit.NANOSECONDS));
        };
    }

    @Bean
    TransactionLog transactionLog(JdbcTemplate jdbc, GroupCommit logWrites, Environment environment) {
        TransactionLog log = new JdbcTransactionLog(jdbc, logWrites);
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
