package dev.twophase.system.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The machine's PostgreSQL server, as the tests use it: a database of its own for each service of a cluster, created
 * and dropped by the tests, reached over 127.0.0.1 with a role that may create databases ({@code .ci/postgres} sets up
 * both on a fresh machine). System properties override the defaults: {@code twophase.test.postgres.url} (the server,
 * without a database), {@code .user}, {@code .password}, and {@code .stop-command} / {@code .start-command} (how the
 * outage test stops the server abruptly and starts it again).
 */
public final class Postgres {

    private static final String SERVER =
            System.getProperty("twophase.test.postgres.url", "jdbc:postgresql://127.0.0.1:5432/");
    private static final String USER = System.getProperty("twophase.test.postgres.user", "twophase");
    private static final String PASSWORD = System.getProperty("twophase.test.postgres.password", "twophase");
    private static final String STOP =
            System.getProperty("twophase.test.postgres.stop-command", "pg_ctlcluster 15 main stop -m immediate");
    private static final String START =
            System.getProperty("twophase.test.postgres.start-command", "pg_ctlcluster 15 main start");
    private static final SecureRandom RANDOM = new SecureRandom();

    private Postgres() {}

    /** Creates an empty database named after {@code purpose} (plus a random suffix) and returns its name. */
    public static String createDatabase(String purpose) {
        String prefix = ("tp_" + purpose.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_"));
        String name = prefix.substring(0, Math.min(prefix.length(), 50)) + "_"
                + HexFormat.of().formatHex(RANDOM.generateSeed(4));
        execute("CREATE DATABASE " + name);
        return name;
    }

    /** Drops the database, closing whatever connections a killed service left open. */
    public static void dropDatabase(String name) {
        execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    /** The arguments that put a service's state in {@code database}. */
    public static List<String> serviceArgs(String database) {
        return List.of(
                "--spring.datasource.url=" + url(database),
                "--spring.datasource.username=" + USER,
                "--spring.datasource.password=" + PASSWORD);
    }

    public static String url(String database) {
        return SERVER + database;
    }

    public static Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(url(database), USER, PASSWORD);
    }

    /** Stops the server the way a crash would (immediate: no checkpoint, WAL replayed at the next start). */
    public static void stopAbruptly() {
        run(STOP);
    }

    public static void start() {
        run(START);
    }

    /** Starts the server unless it answers already (after a test that stopped it failed half-way). */
    public static void ensureRunning() {
        try (Connection connection = connect("postgres")) {
            return;
        } catch (SQLException down) {
            start();
        }
    }

    private static void execute(String sql) {
        try (Connection connection = connect("postgres");
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "PostgreSQL at " + SERVER + " as " + USER + ": " + e.getMessage()
                            + " (a fresh machine is set up by .ci/postgres)",
                    e);
        }
    }

    private static void run(String command) {
        try {
            Process process = new ProcessBuilder(command.split(" "))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("'" + command + "' failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
