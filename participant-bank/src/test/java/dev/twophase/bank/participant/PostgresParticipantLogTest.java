package dev.twophase.bank.participant;

import com.zaxxer.hikari.HikariDataSource;
import dev.twophase.store.testing.TestDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AutoClose;
import org.springframework.jdbc.core.JdbcTemplate;

/** The bank's JDBC log on a fresh PostgreSQL database with the Flyway schema. */
class PostgresParticipantLogTest extends ParticipantLogContract {

    @AutoClose
    private final TestDatabase database = TestDatabase.create("bank_log");

    private HikariDataSource dataSource;

    @Override
    ParticipantLog open() {
        dataSource = database.open();
        Flyway.configure().dataSource(dataSource).load().migrate();
        return new JdbcParticipantLog(new JdbcTemplate(dataSource));
    }

    @Override
    void close() {
        if (dataSource != null) {
            dataSource.close();
        }
    }
}
