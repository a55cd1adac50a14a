package dev.twophase.bank.participant;

import com.zaxxer.hikari.HikariDataSource;
import dev.twophase.store.H2FileUrl;
import java.nio.file.Path;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/** The bank's JDBC log on a real H2 file with the production settings and the Flyway schema. */
class JdbcParticipantLogTest extends ParticipantLogContract {

    @TempDir
    Path dataDir;

    private HikariDataSource dataSource;

    @Override
    ParticipantLog open() {
        dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(H2FileUrl.of(dataDir, "bank"));
        dataSource.setUsername("sa");
        Flyway.configure().dataSource(dataSource).load().migrate();
        return new JdbcParticipantLog(new JdbcTemplate(dataSource));
    }

    @Override
    void close() {
        if (dataSource != null && !dataSource.isClosed()) {
            new JdbcTemplate(dataSource).execute("SHUTDOWN");
            dataSource.close();
        }
    }
}
