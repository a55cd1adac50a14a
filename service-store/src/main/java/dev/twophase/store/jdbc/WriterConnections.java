package dev.twophase.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;

/**
 * What both stores do the same on their writer's connection: one write of a batch under its own savepoint (if it throws,
 * only its own changes are undone), and closing the connection without letting a failure to close hide another.
 */
final class WriterConnections {

    private static final Logger log = LoggerFactory.getLogger(WriterConnections.class);

    private WriterConnections() {}

    /** Closes {@code connection} (if any); a failure to close is logged, not thrown. */
    static void closeQuietly(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException | RuntimeException e) {
            log.warn("Closing the store's connection failed", e);
        }
    }

    /** Runs {@code write} under a savepoint of {@code connection}; on a throw, rolls back to it and runs {@code undone}. */
    static <T> T isolated(Connection connection, Supplier<T> write, Runnable undone) {
        Savepoint savepoint;
        try {
            savepoint = connection.setSavepoint();
        } catch (SQLException e) {
            throw new DataAccessResourceFailureException("cannot set a savepoint", e);
        }
        try {
            return write.get();
        } catch (RuntimeException | Error e) {
            try {
                connection.rollback(savepoint);
            } catch (SQLException rollback) {
                e.addSuppressed(rollback);
            }
            undone.run();
            throw e;
        }
    }
}
