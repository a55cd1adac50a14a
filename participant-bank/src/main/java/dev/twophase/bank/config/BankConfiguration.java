package dev.twophase.bank.config;

import com.fasterxml.jackson.annotation.JsonFormat;
import dev.twophase.fault.CrashPoints;
import dev.twophase.store.GroupCommit;
import dev.twophase.store.H2FileUrl;
import dev.twophase.store.jdbc.JournalFirstMigration;
import dev.twophase.store.jdbc.JournaledJdbcStore;
import dev.twophase.web.RequestProblems;
import dev.twophase.web.StrictJson;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.boot.jdbc.DataSourceBuilder;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class BankConfiguration {

    @Bean
    DataSource dataSource(BankProperties properties) {
        return DataSourceBuilder.create()
                .url(H2FileUrl.of(properties.dataDir(), "bank"))
                .username("sa")
                .build();
    }

    /**
     * Every write to the bank's store goes through this one writer (see {@link GroupCommit}), on the H2 database and
     * its redo journal; opened once Flyway has migrated the schema.
     */
    @Bean(destroyMethod = "close")
    @DependsOnDatabaseInitialization
    GroupCommit storeWrites(DataSource dataSource, BankProperties properties) {
        return JournaledJdbcStore.groupCommit("bank-store", dataSource, journalFile(properties), properties.log());
    }

    /** Flyway migrates only after the journal a kill -9 left behind is redone on the schema it was written for. */
    @Bean
    FlywayMigrationStrategy journalFirstMigration(DataSource dataSource, BankProperties properties) {
        return new JournalFirstMigration(dataSource, journalFile(properties), properties.log());
    }

    private static Path journalFile(BankProperties properties) {
        return properties.dataDir().resolve("bank.journal");
    }

    /** Group-commit counters on /actuator/metrics: writes, store commits and forced writes (fsync) so far. */
    @Bean
    MeterBinder storeWritesMetrics(GroupCommit storeWrites) {
        return registry -> {
            FunctionCounter.builder("twophase.log.writes", storeWrites, GroupCommit::writes)
                    .description("writes made durable")
                    .register(registry);
            FunctionCounter.builder("twophase.log.commits", storeWrites, GroupCommit::commits)
                    .description("store commits, each holding a group of writes")
                    .register(registry);
            FunctionCounter.builder("twophase.log.forces", storeWrites, GroupCommit::forces)
                    .description("forced writes to the device (fsync)")
                    .register(registry);
            Gauge.builder("twophase.log.queued", storeWrites, GroupCommit::queued)
                    .description("writes waiting for the writer")
                    .register(registry);
            Timer latency = Timer.builder("twophase.log.write")
                    .description("one write from the call until it is durable (queue, batch, commit, force)")
                    .publishPercentileHistogram()
                    .register(registry);
            storeWrites.reportLatencyTo(nanos -> latency.record(nanos, TimeUnit.NANOSECONDS));
        };
    }

    @Bean
    CrashPoints crashPoints(BankProperties properties) {
        return new CrashPoints(properties.crash().point(), properties.crash().action(), System.out);
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    JsonMapperBuilderCustomizer stringsAreStrings() {
        return StrictJson.stringsAreStrings();
    }

    /** Unreadable requests as problems that name the field (replaces Spring Boot's default problem handler). */
    @Bean
    RequestProblems requestProblems() {
        return new RequestProblems();
    }

    /** Money travels as decimal strings ("25.00"), never as JSON numbers that a client might read as a double. */
    @Bean
    JsonMapperBuilderCustomizer moneyAsDecimalStrings() {
        return builder -> builder.withConfigOverride(
                BigDecimal.class, override -> override.setFormat(JsonFormat.Value.forShape(JsonFormat.Shape.STRING)));
    }
}
