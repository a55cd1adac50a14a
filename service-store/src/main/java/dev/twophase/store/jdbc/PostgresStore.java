package dev.twophase.store.jdbc;

import dev.twophase.store.GroupCommit;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * A service's PostgreSQL database as a {@link GroupCommit.Store}: a batch is one PostgreSQL transaction on the
 * writer's own connection (the services' {@code JdbcTemplate} calls on the writer thread join it), each write under its
 * own savepoint, and it is durable once its {@code COMMIT} returns.
 *
 * <p>Durability is PostgreSQL's own: the writer's session sets {@code synchronous_commit = on} in the forced mode
 * (a commit returns once its WAL record is flushed to the server's disk), {@code off} in the kill -9 mode (a commit
 * returns before the flush: a crash of this service loses nothing, a crash of the server can lose the last commits).
 * There is no redo journal on this path; {@link #writeOut} has nothing left to do.
 *
 * <p>When the server goes away (stopped, restarted, the network cut) the batch in hand fails, its callers are told so,
 * and the connection is dropped: the next batch takes a fresh one from the pool, which waits at most the pool's
 * connection timeout (so a write fails fast while the server is gone instead of hanging).
 */
public final class PostgresStore implements GroupCommit.Store {

    private static final Logger log = LoggerFactory.getLogger(PostgresStore.class);
    private static final long SLOW_STEP_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final DataSource dataSource;
    private final boolean synchronousCommit;
    private Connection connection;
    private boolean committed;

    public PostgresStore(DataSource dataSource, boolean synchronousCommit) {
        this.dataSource = dataSource;
        this.synchronousCommit = synchronousCommit;
    }

    @Override
    public void inOneTransaction(Runnable batch) {
        Connection session = session();
        TransactionSynchronizationManager.bindResource(dataSource, new ConnectionHolder(session));
        long started = System.nanoTime();
        try {
            batch.run();
            long ran = System.nanoTime();
            session.commit();
            committed = true;
            long done = System.nanoTime();
            if (done - started >= SLOW_STEP_NANOS) {
                log.warn(
                        "Slow store step: batch {} ms, commit {} ms",
                        TimeUnit.NANOSECONDS.toMillis(ran - started),
                        TimeUnit.NANOSECONDS.toMillis(done - ran));
            }
        } catch (SQLException e) {
            rollBackOrDrop(session);
            throw new DataAccessResourceFailureException("the batch could not be committed", e);
        } catch (RuntimeException | Error e) {
            rollBackOrDrop(session);
            throw e;
        } finally {
            TransactionSynchronizationManager.unbindResource(dataSource);
        }
    }

    @Override
    public <T> T isolated(Supplier<T> write) {
        return WriterConnections.isolated(connection, write, () -> {});
    }

    /** The commit already made the batch durable (synchronous commit): one WAL flush per committed batch. */
    @Override
    public int writeOut(boolean force) {
        boolean flushed = committed && force;
        committed = false;
        return flushed ? 1 : 0;
    }

    @Override
    public void close() {
        drop();
    }

    /** The writer's connection, taken from the pool when there is none (first batch, or after the server went away). */
    private Connection session() {
        if (connection != null) {
            return connection;
        }
        Connection fresh = null;
        try {
            fresh = dataSource.getConnection();
            fresh.setAutoCommit(false);
            try (Statement statement = fresh.createStatement()) {
                statement.execute("SET synchronous_commit TO " + (synchronousCommit ? "on" : "off"));
            }
            fresh.commit();
            connection = fresh;
            return fresh;
        } catch (SQLException e) {
            WriterConnections.closeQuietly(fresh);
            throw new DataAccessResourceFailureException("the store's database cannot be reached", e);
        }
    }

    /** Rolls the failed batch back; a connection that cannot even do that is broken, and the next batch takes another. */
    private void rollBackOrDrop(Connection session) {
        committed = false;
        try {
            session.rollback();
            if (session.isValid(1)) {
                return;
            }
        } catch (SQLException e) {
            log.debug("Rolling back a failed batch failed; dropping the store's connection", e);
        }
        drop();
    }

    private void drop() {
        WriterConnections.closeQuietly(connection);
        connection = null;
    }
}
