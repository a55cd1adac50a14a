package dev.twophase.coordinator.log;

import dev.twophase.coordinator.config.CoordinatorProperties;
import dev.twophase.store.GroupCommit;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The coordinator's H2 database as a {@link GroupCommit.Store}: a batch is one Spring-managed transaction on the
 * writer thread (so the log's {@code JdbcTemplate} calls join it), each write a nested transaction (a savepoint);
 * after the commit the batch is written out with {@code CHECKPOINT} (or forced with {@code CHECKPOINT SYNC}).
 */
final class JdbcGroupCommitStore implements GroupCommit.Store {

    private final TransactionTemplate batch;
    private final TransactionTemplate savepoint;
    private final JdbcTemplate jdbc;

    JdbcGroupCommitStore(DataSource dataSource) {
        DataSourceTransactionManager transactionManager = new DataSourceTransactionManager(dataSource);
        this.batch = new TransactionTemplate(transactionManager);
        this.savepoint = new TransactionTemplate(transactionManager);
        this.savepoint.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
        this.jdbc = new JdbcTemplate(dataSource);
    }

    static GroupCommit groupCommit(DataSource dataSource, String name, CoordinatorProperties.Log settings) {
        return new GroupCommit(
                name,
                new JdbcGroupCommitStore(dataSource),
                settings.forceOnCommit(),
                settings.maxBatch(),
                settings.maxQueued(),
                // Callers treat a log write that did not happen as a storage failure (the coordinator then aborts).
                failure -> new DataAccessResourceFailureException(
                        name + ": the write could not be made durable", failure));
    }

    @Override
    public void inOneTransaction(Runnable writes) {
        batch.executeWithoutResult(status -> writes.run());
    }

    @Override
    public <T> T isolated(Supplier<T> write) {
        return savepoint.execute(status -> write.get());
    }

    /**
     * {@code CHECKPOINT} makes H2 write its committed changes to the file now ({@code MVStore.commit}), instead of
     * within {@code WRITE_DELAY}; {@code CHECKPOINT SYNC} also calls {@code FileChannel.force}.
     */
    @Override
    public void writeOut(boolean force) {
        jdbc.execute(force ? "CHECKPOINT SYNC" : "CHECKPOINT");
    }
}
