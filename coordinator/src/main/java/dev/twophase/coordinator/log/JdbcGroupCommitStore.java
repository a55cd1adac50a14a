package dev.twophase.coordinator.log;

import dev.twophase.coordinator.config.CoordinatorProperties;
import dev.twophase.store.GroupCommit;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The coordinator's H2 database as a {@link GroupCommit.Store}: a batch is one Spring-managed transaction on the
 * writer thread (so the log's {@code JdbcTemplate} calls join it), each write a nested transaction (a savepoint), and
 * a force is H2's {@code CHECKPOINT SYNC}, which flushes the store and calls {@code FileChannel.force}.
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
                settings.maxQueued());
    }

    @Override
    public void inOneTransaction(Runnable writes) {
        batch.executeWithoutResult(status -> writes.run());
    }

    @Override
    public <T> T isolated(Supplier<T> write) {
        return savepoint.execute(status -> write.get());
    }

    @Override
    public void force() {
        jdbc.execute("CHECKPOINT SYNC");
    }
}
