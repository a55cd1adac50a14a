package dev.twophase.coordinator.log;

import com.zaxxer.hikari.HikariDataSource;
import dev.twophase.store.H2FileUrl;
import java.nio.file.Path;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** The JDBC log on a real H2 file with the production settings and the Flyway schema. */
class JdbcTransactionLogTest extends TransactionLogContract {

    @TempDir
    Path dataDir;

    private HikariDataSource dataSource;

    @Override
    TransactionLog open() {
        dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(H2FileUrl.of(dataDir, "coordinator"));
        dataSource.setUsername("sa");
        Flyway.configure().dataSource(dataSource).load().migrate();
        return new JdbcTransactionLog(
                new JdbcTemplate(dataSource), new TransactionTemplate(new DataSourceTransactionManager(dataSource)));
    }

    @Override
    void close() {
        if (dataSource != null && !dataSource.isClosed()) {
            new JdbcTemplate(dataSource).execute("SHUTDOWN");
            dataSource.close();
        }
    }
}
