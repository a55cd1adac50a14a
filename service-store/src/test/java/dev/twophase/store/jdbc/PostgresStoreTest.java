package dev.twophase.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.twophase.store.GroupCommit;
import dev.twophase.store.testing.TestDatabase;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/** Group commit on a real PostgreSQL database: one transaction per batch, a savepoint per write, reconnection. */
class PostgresStoreTest {

    private TestDatabase database;
    private HikariDataSource dataSource;
    private GroupCommit writes;
    private JdbcTemplate jdbc;

    @BeforeEach
    void openStore() {
        database = TestDatabase.create("store");
        dataSource = database.open();
        jdbc = new JdbcTemplate(dataSource);
        jdbc.execute("CREATE TABLE accounts (id VARCHAR(64) PRIMARY KEY, balance DECIMAL(19, 2) NOT NULL)");
        writes = new GroupCommit("test", new PostgresStore(dataSource, true), true, 64, 1000);
    }

    @AfterEach
    void closeStore() {
        writes.close();
        dataSource.close();
        database.close();
    }

    @Test
    void aWriteIsCommittedWhenItReturns() {
        writes.write(() -> jdbc.update("INSERT INTO accounts VALUES ('alice', 10.00)"));

        // Read on another connection of the pool: only committed data is visible there.
        assertThat(jdbc.queryForObject("SELECT balance FROM accounts WHERE id = 'alice'", BigDecimal.class))
                .isEqualByComparingTo("10.00");
        assertThat(writes.forces()).as("one synchronous commit").isEqualTo(1);
    }

    @Test
    void aFailingWriteIsUndoneAloneWhileTheRestOfItsBatchCommits() {
        writes.write(() -> jdbc.update("INSERT INTO accounts VALUES ('alice', 10.00)"));
        List<CompletableFuture<Void>> concurrent = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String id = i == 100 ? "alice" : "acct-" + i; // one duplicate key among them
            concurrent.add(CompletableFuture.runAsync(
                    () -> writes.write(() -> jdbc.update("INSERT INTO accounts VALUES (?, 1.00)", id))));
        }
        long failed = concurrent.stream()
                .filter(write -> {
                    try {
                        write.join();
                        return false;
                    } catch (RuntimeException e) {
                        assertThat(e).hasCauseInstanceOf(DuplicateKeyException.class);
                        return true;
                    }
                })
                .count();

        assertThat(failed).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM accounts", Long.class))
                .isEqualTo(200);
        assertThat(writes.commits()).as("writes shared commits").isLessThan(201);
    }

    @Test
    void aBatchWhoseConnectionWasCutFailsAndTheNextOneReconnects() {
        writes.write(() -> jdbc.update("INSERT INTO accounts VALUES ('alice', 10.00)"));
        Integer writerPid = writes.write(() -> jdbc.queryForObject("SELECT pg_backend_pid()", Integer.class));
        // As if the server had restarted under the writer: its session is gone.
        jdbc.queryForObject("SELECT pg_terminate_backend(?)", Boolean.class, writerPid);

        assertThatThrownBy(() -> writes.write(() -> jdbc.update("UPDATE accounts SET balance = 20.00")))
                .isInstanceOf(GroupCommit.BatchNotDurable.class);
        writes.write(() -> jdbc.update("UPDATE accounts SET balance = 30.00"));

        assertThat(jdbc.queryForObject("SELECT balance FROM accounts WHERE id = 'alice'", BigDecimal.class))
                .isEqualByComparingTo("30.00");
    }
}
