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

    /**
     * One name for every write's savepoint. JDBC's unnamed savepoints are numbered, and H2 keeps each {@code SAVEPOINT
     * SYSTEM_SAVEPOINT_<n>} it runs in the connection's cache of parsed statements, where a few hundred a second pushed
     * the batch's real statements out: each of them was parsed again at every write (seen in a profile of the
     * coordinator's writer). Writes are never nested (a write inside a write joins it: {@code GroupCommit}), so one
     * savepoint at a time is in use; a new one of the same name replaces (H2) or shadows (PostgreSQL) the one before,
     * and a rollback goes to the newest.
     */
    private static final String SAVEPOINT = "write";

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
            savepoint = connection.setSavepoint(SAVEPOINT);
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
