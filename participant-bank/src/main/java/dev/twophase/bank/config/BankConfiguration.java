package dev.twophase.bank.config;

import com.fasterxml.jackson.annotation.JsonFormat;
import dev.twophase.fault.CrashPoints;
import dev.twophase.store.GroupCommit;
import dev.twophase.store.jdbc.ServiceStore;
import dev.twophase.store.jdbc.StoreMetrics;
import dev.twophase.web.RequestProblems;
import dev.twophase.web.StrictJson;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.math.BigDecimal;
import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

@Configuration(proxyBeanMethods = false)
class BankConfiguration {

    /** The embedded H2 file under the data directory, or the PostgreSQL database spring.datasource.url names. */
    @Bean
    ServiceStore serviceStore(BankProperties properties, Environment environment) {
        return ServiceStore.of("bank", properties.dataDir(), properties.log(), environment);
    }

    @Bean(destroyMethod = "close")
    DataSource dataSource(ServiceStore store) {
        return store.dataSource();
    }

    /**
     * Every write to the bank's store goes through this one writer (see {@link GroupCommit}); opened once Flyway has
     * migrated the schema.
     */
    @Bean(destroyMethod = "close")
    @DependsOnDatabaseInitialization
    GroupCommit storeWrites(ServiceStore store, DataSource dataSource) {
        return store.groupCommit("bank-store", dataSource);
    }

    /** On H2, Flyway migrates only after the journal a kill -9 left behind is redone on the schema it was written for. */
    @Bean
    FlywayMigrationStrategy journalFirstMigration(ServiceStore store, DataSource dataSource) {
        return store.migration(dataSource);
    }

    /** Group-commit counters and the store's size on /actuator/metrics. */
    @Bean
    MeterBinder storeWritesMetrics(GroupCommit storeWrites, ServiceStore store, JdbcTemplate jdbc) {
        return StoreMetrics.of(storeWrites, store, jdbc);
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
