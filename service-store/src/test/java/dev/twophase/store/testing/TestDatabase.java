package dev.twophase.store.testing;

import com.zaxxer.hikari.HikariDataSource;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;

/**
 * A fresh PostgreSQL database on the machine's server, for tests of the stores; {@link #close} drops it. The server is
 * reached over 127.0.0.1 as a role that may create databases ({@code .ci/postgres} sets both up on a fresh machine);
 * the system properties {@code twophase.test.postgres.url}, {@code .user} and {@code .password} override the defaults.
 */
public final class TestDatabase implements AutoCloseable {

    private static final String SERVER =
            System.getProperty("twophase.test.postgres.url", "jdbc:postgresql://127.0.0.1:5432/");
    private static final String USER = System.getProperty("twophase.test.postgres.user", "twophase");
    private static final String PASSWORD = System.getProperty("twophase.test.postgres.password", "twophase");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String name;

    private TestDatabase(String name) {
        this.name = name;
    }

    /** Creates a new, empty database named after {@code purpose}. */
    public static TestDatabase create(String purpose) {
        TestDatabase database =
                new TestDatabase("tp_" + purpose + "_" + HexFormat.of().formatHex(RANDOM.generateSeed(4)));
        execute("CREATE DATABASE " + database.name);
        return database;
    }

    /** A new pool on the database (a process that opens it); closing the pool leaves the database. */
    public HikariDataSource open() {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(SERVER + name);
        dataSource.setUsername(USER);
        dataSource.setPassword(PASSWORD);
        dataSource.setMaximumPoolSize(4);
        dataSource.setConnectionTimeout(2_000);
        return dataSource;
    }

    /** Drops the database, closing whatever connections are still open on it. */
    @Override
    public void close() {
        execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    private static void execute(String sql) {
        try (Connection connection = DriverManager.getConnection(SERVER + "postgres", USER, PASSWORD);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "PostgreSQL at " + SERVER + " as " + USER + ": " + e.getMessage()
                            + " (.ci/postgres sets it up on a fresh machine)",
                    e);
        }
    }
}
