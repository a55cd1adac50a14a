package dev.twophase.store.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.function.Supplier;
import org.springframework.dao.DataAccessResourceFailureException;

/** One write of a batch under its own savepoint: if it throws, only its own changes are undone. */
final class Savepoints {

    private Savepoints() {}

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
