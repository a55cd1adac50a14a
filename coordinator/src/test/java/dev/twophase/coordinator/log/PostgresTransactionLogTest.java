package dev.twophase.coordinator.log;

import com.zaxxer.hikari.HikariDataSource;
import dev.twophase.store.GroupCommit;
import dev.twophase.store.jdbc.PostgresStore;
import dev.twophase.store.testing.TestDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AutoClose;
import org.springframework.jdbc.core.JdbcTemplate;

/** The JDBC log on a fresh PostgreSQL database with the Flyway schema and the production store on that path. */
class PostgresTransactionLogTest extends TransactionLogContract {

    @AutoClose
    private final TestDatabase database = TestDatabase.create("coordinator_log");

    private HikariDataSource dataSource;
    private GroupCommit writes;

    @Override
    TransactionLog open() {
        dataSource = database.open();
        Flyway.configure().dataSource(dataSource).load().migrate();
        writes = new GroupCommit("test-log", new PostgresStore(dataSource, true), true, 256, 10_000);
        return new JdbcTransactionLog(new JdbcTemplate(dataSource), writes, self::get);
    }

    @Override
    void close() {
        writes.close();
        dataSource.close();
    }
}
