package dev.twophase.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.twophase.store.GroupCommit;
import dev.twophase.store.H2FileUrl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.core.env.Environment;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Where a service keeps its durable state, and the pieces that depend on it: the embedded H2 file under {@code
 * twophase.data-dir} (the default), or a PostgreSQL database of its own when {@code spring.datasource.url} names one
 * (with {@code spring.datasource.username} and {@code .password}; the pool is tuned with {@code
 * spring.datasource.hikari.*}).
 *
 * <p>On H2 every batch is made durable by the redo journal ({@link JournaledJdbcStore}); on PostgreSQL by the
 * server's own commit ({@link PostgresStore}). Both go through the same one writer ({@link GroupCommit}), so the
 * services' SQL, its savepoints and its guarantees are the same on either.
 */
public final class ServiceStore {

    /** The two stores a service can run on. */
    public enum Kind {
        /** Embedded H2 files under the data directory, made durable by the store's redo journal. */
        EMBEDDED_H2,
        /** A PostgreSQL database of the service's own, made durable by PostgreSQL's commit. */
        POSTGRESQL
    }

    /**
     * A pooled connection is waited for this long at most by default on PostgreSQL: while the server is gone a request
     * fails (503) within it instead of waiting out Hikari's default 30 s.
     */
    private static final long CONNECTION_TIMEOUT_MILLIS = 2_000;

    private final String name;
    private final Path dataDir;
    private final JournaledJdbcStore.Settings settings;
    private final Kind kind;
    private final String url;
    private final String username;
    private final String password;
    private final Binder binder;

    private ServiceStore(
            String name,
            Path dataDir,
            JournaledJdbcStore.Settings settings,
            String url,
            String username,
            String password,
            Binder binder) {
        this.name = name;
        this.dataDir = dataDir;
        this.settings = settings;
        this.url = url;
        this.username = username;
        this.password = password;
        this.binder = binder;
        this.kind = kindOf(url);
    }

    /**
     * The store of the service called {@code name} ("coordinator", "bank"): its file's and journal's name on H2, as the
     * service's settings and {@code spring.datasource.*} in {@code environment} describe it.
     */
    public static ServiceStore of(
            String name, Path dataDir, JournaledJdbcStore.Settings settings, Environment environment) {
        return new ServiceStore(
                name,
                dataDir,
                settings,
                environment.getProperty("spring.datasource.url", ""),
                environment.getProperty("spring.datasource.username", ""),
                environment.getProperty("spring.datasource.password", ""),
                Binder.get(environment));
    }

    private static Kind kindOf(String url) {
        if (url == null || url.isBlank()) {
            return Kind.EMBEDDED_H2;
        }
        if (url.startsWith("jdbc:postgresql:")) {
            return Kind.POSTGRESQL;
        }
        throw new IllegalArgumentException("spring.datasource.url must be a PostgreSQL JDBC URL (jdbc:postgresql://…),"
                + " or unset for the embedded H2 files; got " + url.replaceAll("password=[^&;]*", "password=…"));
    }

    public Kind kind() {
        return kind;
    }

    /** The connection pool: on H2 the service's file under its data directory, on PostgreSQL the configured URL. */
    public HikariDataSource dataSource() {
        HikariConfig config = new HikariConfig();
        config.setPoolName(name);
        if (kind == Kind.POSTGRESQL) {
            config.setJdbcUrl(url);
            config.setUsername(username);
            config.setPassword(password);
            config.setConnectionTimeout(CONNECTION_TIMEOUT_MILLIS);
            config.setValidationTimeout(1_000);
        } else {
            config.setJdbcUrl(H2FileUrl.of(dataDir, name));
            config.setUsername("sa");
        }
        // spring.datasource.hikari.* as Spring Boot would apply it (maximum-pool-size, connection-timeout, ...).
        binder.bind("spring.datasource.hikari", Bindable.ofInstance(config));
        return new HikariDataSource(config);
    }

    /** The service's one writer (see {@link GroupCommit}), on this store; opened once Flyway has migrated the schema. */
    public GroupCommit groupCommit(String writerName, DataSource dataSource) {
        if (kind == Kind.POSTGRESQL) {
            return new GroupCommit(
                    writerName,
                    new PostgresStore(dataSource, settings.forceOnCommit()),
                    settings.forceOnCommit(),
                    settings.maxBatch(),
                    settings.maxQueued(),
                    failure -> new DataAccessResourceFailureException(
                            writerName + ": the write could not be made durable", failure));
        }
        return JournaledJdbcStore.groupCommit(writerName, dataSource, journalFile(), settings);
    }

    /**
     * How Flyway migrates: on H2 only after the journal a kill -9 left behind is redone on the schema it was written
     * for ({@link JournalFirstMigration}); PostgreSQL has no journal of ours to redo.
     */
    public FlywayMigrationStrategy migration(DataSource dataSource) {
        if (kind == Kind.POSTGRESQL) {
            return flyway -> flyway.migrate();
        }
        return new JournalFirstMigration(dataSource, journalFile(), settings);
    }

    /**
     * Bytes the store takes on disk now: on H2 its files in the data directory (database file and journal); on
     * PostgreSQL the size of its database.
     */
    public long sizeOnDisk(JdbcTemplate jdbc) {
        if (kind == Kind.POSTGRESQL) {
            Long size = jdbc.queryForObject("SELECT pg_database_size(current_database())", Long.class);
            return size == null ? 0 : size;
        }
        try (Stream<Path> files = Files.list(dataDir)) {
            return files.filter(file -> file.getFileName().toString().startsWith(name + "."))
                    .mapToLong(ServiceStore::sizeOf)
                    .sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0; // a file removed while listing
        }
    }

    private Path journalFile() {
        return dataDir.resolve(name + ".journal");
    }
}
