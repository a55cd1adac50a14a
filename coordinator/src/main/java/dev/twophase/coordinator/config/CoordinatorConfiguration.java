package dev.twophase.coordinator.config;

import com.fasterxml.jackson.annotation.JsonFormat;
import dev.twophase.fault.CrashPoints;
import dev.twophase.store.jdbc.ServiceStore;
import dev.twophase.web.RequestProblems;
import dev.twophase.web.StrictJson;
import java.math.BigDecimal;
import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

@Configuration(proxyBeanMethods = false)
class CoordinatorConfiguration {

    /** The embedded H2 file under the data directory, or the PostgreSQL database spring.datasource.url names. */
    @Bean
    ServiceStore serviceStore(CoordinatorProperties properties, Environment environment) {
        return ServiceStore.of("coordinator", properties.dataDir(), properties.log(), environment);
    }

    @Bean(destroyMethod = "close")
    DataSource dataSource(ServiceStore store) {
        return store.dataSource();
    }

    @Bean
    CrashPoints crashPoints(CoordinatorProperties properties) {
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
