package dev.twophase.store.jdbc;

import java.nio.file.Path;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;

/**
 * Flyway migrates a service's schema only after the redo journal a kill -9 left behind has been redone on the schema
 * it was written for: a migration may drop or reshape the tables the journal's statements name (the coordinator's V5
 * folds {@code transaction_participants} into {@code transactions}), and redone after it they would fail, or change
 * something else. With nothing to migrate, the store redoes its journal itself when it opens.
 */
public final class JournalFirstMigration implements FlywayMigrationStrategy {

    private final DataSource dataSource;
    private final Path journalFile;
    private final JournaledJdbcStore.Settings settings;

    public JournalFirstMigration(DataSource dataSource, Path journalFile, JournaledJdbcStore.Settings settings) {
        this.dataSource = dataSource;
        this.journalFile = journalFile;
        this.settings = settings;
    }

    @Override
    public void migrate(Flyway flyway) {
        if (flyway.info().pending().length > 0) {
            JournaledJdbcStore.redoBeforeMigration(dataSource, journalFile, settings);
        }
        flyway.migrate();
    }
}
