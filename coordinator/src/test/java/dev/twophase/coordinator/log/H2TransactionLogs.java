package dev.twophase.coordinator.log;

import com.zaxxer.hikari.HikariDataSource;
import dev.twophase.store.GroupCommit;
import dev.twophase.store.H2FileUrl;
import dev.twophase.store.jdbc.JournalFirstMigration;
import dev.twophase.store.jdbc.JournaledJdbcStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.util.unit.DataSize;

/** The production JDBC log on H2 files in a directory, with the Flyway schema, for tests outside this package. */
public final class H2TransactionLogs implements AutoCloseable {

    /** The production defaults: forced, 100 ms write-outs, a checkpoint every second. */
    static final JournaledJdbcStore.Settings SETTINGS = new JournaledJdbcStore.Settings(
            true, 256, 10_000, Duration.ofMillis(100), Duration.ofSeconds(1), DataSize.ofMegabytes(16));

    private final HikariDataSource dataSource;
    private final GroupCommit writes;
    private final TransactionLog log;

    /** Opens the log in {@code dataDir}: redoes its journal, migrates the schema to the latest, starts the writer. */
    public H2TransactionLogs(Path dataDir) {
        this(dataDir, () -> TransactionLogContract.NODE_1);
    }

    /** The same, for a node whose fencing token is {@code self}'s. */
    public H2TransactionLogs(Path dataDir, Supplier<Owner> self) {
        dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(H2FileUrl.of(dataDir, "coordinator"));
        dataSource.setUsername("sa");
        Path journal = dataDir.resolve("coordinator.journal");
        new JournalFirstMigration(dataSource, journal, SETTINGS)
                .migrate(Flyway.configure().dataSource(dataSource).load());
        writes = JournaledJdbcStore.groupCommit("test-log", dataSource, journal, SETTINGS);
        log = new JdbcTransactionLog(new JdbcTemplate(dataSource), writes, self);
    }

    public TransactionLog log() {
        return log;
    }

    /** The log as another node of a cluster sharing this store sees it: its writes fenced by {@code self}'s token. */
    public TransactionLog logFor(Supplier<Owner> self) {
        return new JdbcTransactionLog(new JdbcTemplate(dataSource), writes, self);
    }

    /** The store's one writer (every write of every log over this store goes through it). */
    public GroupCommit writes() {
        return writes;
    }

    /** Direct SQL on the store, for tests that damage it on purpose. */
    public JdbcTemplate jdbc() {
        return new JdbcTemplate(dataSource);
    }

    /** Shuts the database down as a stopping process would. */
    @Override
    public void close() {
        writes.close();
        if (!dataSource.isClosed()) {
            new JdbcTemplate(dataSource).execute("SHUTDOWN");
            dataSource.close();
        }
    }
}
