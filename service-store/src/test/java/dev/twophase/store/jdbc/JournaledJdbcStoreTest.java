package dev.twophase.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.twophase.store.GroupCommit;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.util.unit.DataSize;

/**
 * The store on real H2 files, crashed the way a kill -9 leaves them: {@code SHUTDOWN IMMEDIATELY} closes the database
 * without writing anything out, and H2's own write-out is held back ({@code WRITE_DELAY} of an hour, no checkpoint
 * due), so whatever the batches changed is only in the journal.
 */
class JournaledJdbcStoreTest {

    private static final JournaledJdbcStore.Settings NO_CHECKPOINT_DUE = new JournaledJdbcStore.Settings(
            true, 64, 1000, Duration.ofHours(1), Duration.ofHours(1), DataSize.ofMegabytes(1));

    @TempDir
    Path dir;

    private final List<HikariDataSource> dataSources = new ArrayList<>();
    private final List<GroupCommit> stores = new ArrayList<>();

    @AfterEach
    void closeEverything() {
        stores.forEach(GroupCommit::close);
        dataSources.forEach(HikariDataSource::close);
    }

    @Test
    void redoesAfterACrashTheBatchesTheDatabaseFileLost() {
        GroupCommit writes = openStore(createDatabase(), NO_CHECKPOINT_DUE);
        JdbcTemplate jdbc = jdbc(dataSources.get(0));
        writes.write(() -> jdbc.update("INSERT INTO accounts (id, balance) VALUES (?, ?)", "alice", cents(10_000)));
        for (int i = 0; i < 3; i++) {
            // Not idempotent: redone twice, or not at all, the balance is wrong.
            writes.write(
                    () -> jdbc.update("UPDATE accounts SET balance = balance - ? WHERE id = ?", cents(2_500), "alice"));
        }
        writes.write(() -> jdbc.update(
                "INSERT INTO events (account, at, note, count, flag) VALUES (?, ?, ?, ?, ?)",
                "alice",
                Timestamp.from(Instant.parse("2026-12-02T01:02:03.456789Z")),
                null,
                3L,
                true));

        crash(dataSources.get(0));

        HikariDataSource reopened = openDatabase();
        assertThat(jdbc(reopened).queryForObject("SELECT COUNT(*) FROM accounts", Integer.class))
                .as("the crash lost the rows in the database file: only the journal has them")
                .isZero();
        openStore(reopened, NO_CHECKPOINT_DUE);
        assertThat(balanceOf(reopened, "alice")).isEqualByComparingTo("25.00");
        assertThat(jdbc(reopened).queryForMap("SELECT at, note, count, flag FROM events"))
                .containsEntry("NOTE", null)
                .containsEntry("COUNT", 3L)
                .containsEntry("FLAG", true)
                .containsEntry("AT", OffsetDateTime.parse("2026-12-02T01:02:03.456789Z"));
    }

    @Test
    void redoesNothingTwiceAcrossRepeatedRestarts() {
        GroupCommit writes = openStore(createDatabase(), NO_CHECKPOINT_DUE);
        JdbcTemplate jdbc = jdbc(dataSources.get(0));
        writes.write(() -> jdbc.update("INSERT INTO accounts (id, balance) VALUES (?, ?)", "alice", cents(100)));
        crash(dataSources.get(0));

        HikariDataSource second = openDatabase();
        GroupCommit again = openStore(second, NO_CHECKPOINT_DUE);
        again.write(
                () -> jdbc(second).update("UPDATE accounts SET balance = balance + ? WHERE id = ?", cents(1), "alice"));
        crash(second);

        HikariDataSource third = openDatabase();
        openStore(third, NO_CHECKPOINT_DUE);
        assertThat(balanceOf(third, "alice")).isEqualByComparingTo("1.01");
    }

    @Test
    void doesNotRedoAWriteThatFailedInsideItsBatch() {
        GroupCommit writes = openStore(createDatabase(), NO_CHECKPOINT_DUE);
        JdbcTemplate jdbc = jdbc(dataSources.get(0));
        writes.write(() -> jdbc.update("INSERT INTO accounts (id, balance) VALUES (?, ?)", "alice", cents(100)));
        assertThatThrownBy(() -> writes.write(() -> {
                    jdbc.update("UPDATE accounts SET balance = balance + ? WHERE id = ?", cents(900), "alice");
                    throw new IllegalStateException("refused after its first statement");
                }))
                .hasMessageContaining("refused");
        // A statement the database itself refuses (duplicate key) is not recorded either.
        assertThatThrownBy(() -> writes.write(
                        () -> jdbc.update("INSERT INTO accounts (id, balance) VALUES (?, ?)", "alice", cents(1))))
                .isInstanceOf(org.springframework.dao.DuplicateKeyException.class);
        assertThat(balanceOf(dataSources.get(0), "alice")).isEqualByComparingTo("1.00");

        crash(dataSources.get(0));

        HikariDataSource reopened = openDatabase();
        openStore(reopened, NO_CHECKPOINT_DUE);
        assertThat(balanceOf(reopened, "alice")).isEqualByComparingTo("1.00");
    }

    @Test
    void redoesEveryWriteOfBatchesThatHeldManyConcurrentWrites() {
        GroupCommit writes = openStore(createDatabase(), NO_CHECKPOINT_DUE);
        List<CompletableFuture<Void>> all = poolWrites(writes, 400, n -> false);
        all.forEach(CompletableFuture::join);
        assertThat(writes.commits()).as("the writes shared batches").isLessThan(401);

        crash(dataSources.get(0));

        HikariDataSource reopened = openDatabase();
        openStore(reopened, NO_CHECKPOINT_DUE);
        assertThat(balanceOf(reopened, "pool")).isEqualByComparingTo("4.00");
        assertThat(jdbc(reopened).queryForObject("SELECT COUNT(*) FROM accounts", Integer.class))
                .isEqualTo(401);
    }

    @Test
    void redoesBatchUpdatesAndPlainStatementsToo() {
        GroupCommit writes = openStore(createDatabase(), NO_CHECKPOINT_DUE);
        JdbcTemplate jdbc = jdbc(dataSources.get(0));
        writes.write(() -> {
            jdbc.batchUpdate(
                    "INSERT INTO accounts (id, balance) VALUES (?, ?)",
                    List.of(new Object[] {"alice", cents(100)}, new Object[] {"bob", cents(200)}));
            jdbc.execute("UPDATE accounts SET balance = balance + 1 WHERE id = 'alice'");
        });

        crash(dataSources.get(0));

        HikariDataSource reopened = openDatabase();
        openStore(reopened, NO_CHECKPOINT_DUE);
        assertThat(balanceOf(reopened, "alice")).isEqualByComparingTo("2.00");
        assertThat(balanceOf(reopened, "bob")).isEqualByComparingTo("2.00");
    }

    @Test
    void refusesAWriteThatBindsAValueTheJournalCannotHoldAndChangesNothing() {
        GroupCommit writes = openStore(createDatabase(), NO_CHECKPOINT_DUE);
        JdbcTemplate jdbc = jdbc(dataSources.get(0));

        assertThatThrownBy(() -> writes.write(() -> jdbc.update(
                        "INSERT INTO events (account, note) VALUES (?, ?)",
                        "alice",
                        java.time.LocalDate.of(2026, 12, 2))))
                .hasMessageContaining("the redo journal cannot hold a parameter of type java.time.LocalDate");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM events", Integer.class))
                .isZero();
        assertThat(journalRecords()).isEmpty();
    }

    @Test
    void ignoresTheTornTailOfARecordThatWasNeverAcknowledged() throws IOException {
        GroupCommit writes = openStore(createDatabase(), NO_CHECKPOINT_DUE);
        JdbcTemplate jdbc = jdbc(dataSources.get(0));
        writes.write(() -> jdbc.update("INSERT INTO accounts (id, balance) VALUES (?, ?)", "alice", cents(100)));
        crash(dataSources.get(0));
        // The start of a record whose write the crash cut short, right after the last whole one.
        long end;
        try (RedoJournal journal = RedoJournal.open(dir.resolve("store.journal"), 0)) {
            end = journal.size();
        }
        try (FileChannel channel = FileChannel.open(dir.resolve("store.journal"), StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(new byte[] {0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 2}), end);
        }

        HikariDataSource reopened = openDatabase();
        openStore(reopened, NO_CHECKPOINT_DUE);
        assertThat(balanceOf(reopened, "alice")).isEqualByComparingTo("1.00");
    }

    @Test
    void aCheckpointPutsTheBatchesInTheDatabaseFileItself() throws IOException {
        JournaledJdbcStore.Settings everyBatch =
                new JournaledJdbcStore.Settings(true, 64, 1000, Duration.ZERO, Duration.ZERO, DataSize.ofMegabytes(1));
        GroupCommit writes = openStore(createDatabase(), everyBatch);
        JdbcTemplate jdbc = jdbc(dataSources.get(0));
        writes.write(() -> jdbc.update("INSERT INTO accounts (id, balance) VALUES (?, ?)", "alice", cents(100)));

        crash(dataSources.get(0));

        HikariDataSource reopened = openDatabase();
        assertThat(balanceOf(reopened, "alice"))
                .as("in the database file itself")
                .isEqualByComparingTo("1.00");
    }

    @Test
    void refusesToStartWhenTheJournalDoesNotGoOnFromTheDatabaseFile() {
        GroupCommit writes = openStore(createDatabase(), NO_CHECKPOINT_DUE);
        JdbcTemplate jdbc = jdbc(dataSources.get(0));
        writes.write(() -> jdbc.update("INSERT INTO accounts (id, balance) VALUES (?, ?)", "alice", cents(100)));
        writes.write(() -> jdbc.update("UPDATE accounts SET balance = balance + ? WHERE id = ?", cents(1), "alice"));
        crash(dataSources.get(0));
        // The journal holds batches 1 and 2; a database file that says it holds batches up to -5 has lost some.
        HikariDataSource reopened = openDatabase();
        JdbcTemplate direct = jdbc(reopened);
        direct.update("UPDATE store_journal SET applied_lsn = -5");

        assertThatThrownBy(() -> JournaledJdbcStore.open(reopened, dir.resolve("store.journal"), NO_CHECKPOINT_DUE))
                .isInstanceOf(DataAccessResourceFailureException.class)
                .hasRootCauseMessage("the journal " + dir.resolve("store.journal")
                        + " goes on at batch 1 but the database file holds batches only up to -5: batches in between"
                        + " are lost; refusing to start on an incomplete store");
    }

    /**
     * Every write of a batch sets a savepoint of the same name: a write that fails is undone back to its own, the
     * newest, never to an earlier write's, and the batch's other writes commit and are redone after a crash.
     */
    @Test
    void undoesOnlyTheWritesThatFailedInsideABatchOfMany() {
        GroupCommit writes = openStore(createDatabase(), NO_CHECKPOINT_DUE);
        List<CompletableFuture<Void>> all = poolWrites(writes, 300, n -> n % 3 == 0);
        all.forEach(write -> write.exceptionally(refusedWrite -> null).join());
        assertThat(all.stream().filter(CompletableFuture::isCompletedExceptionally))
                .hasSize(100);
        assertThat(writes.commits()).as("the writes shared batches").isLessThan(301);
        assertThat(balanceOf(dataSources.get(0), "pool")).isEqualByComparingTo("2.00");

        crash(dataSources.get(0));

        HikariDataSource reopened = openDatabase();
        openStore(reopened, NO_CHECKPOINT_DUE);
        assertThat(balanceOf(reopened, "pool")).isEqualByComparingTo("2.00");
        assertThat(jdbc(reopened).queryForList("SELECT id FROM accounts WHERE id <> 'pool'", String.class))
                .hasSize(200)
                .allSatisfy(
                        id -> assertThat(Integer.parseInt(id.substring(1)) % 3).isNotZero());
    }

    @Test
    void aReadOnlyBatchAppendsNothing() throws IOException {
        GroupCommit writes = openStore(createDatabase(), NO_CHECKPOINT_DUE);
        JdbcTemplate jdbc = jdbc(dataSources.get(0));
        Integer count = writes.write(() -> jdbc.queryForObject("SELECT COUNT(*) FROM accounts", Integer.class));
        assertThat(count).isZero();
        assertThat(journalRecords()).isEmpty();
        assertThat(writes.forces()).isZero();
    }

    /**
     * An account "pool", then {@code count} writes at once from as many threads (so that they share batches): write
     * {@code n} adds 0.01 to the pool and opens account {@code a<n>}, then throws if {@code refused} says so.
     */
    private List<CompletableFuture<Void>> poolWrites(GroupCommit writes, int count, IntPredicate refused) {
        JdbcTemplate jdbc = jdbc(dataSources.get(0));
        writes.write(() -> jdbc.update("INSERT INTO accounts (id, balance) VALUES (?, ?)", "pool", cents(0)));
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int n = i;
            all.add(CompletableFuture.runAsync(() -> writes.write(() -> {
                jdbc.update("UPDATE accounts SET balance = balance + ? WHERE id = ?", cents(1), "pool");
                jdbc.update("INSERT INTO accounts (id, balance) VALUES (?, ?)", "a" + n, cents(n));
                if (refused.test(n)) {
                    throw new IllegalStateException("refused after its statements");
                }
            })));
        }
        return all;
    }

    private List<RedoJournal.Entry> journalRecords() {
        try (RedoJournal journal = RedoJournal.open(dir.resolve("store.journal"), 0)) {
            return journal.readAll();
        }
    }

    private HikariDataSource createDatabase() {
        HikariDataSource dataSource = openDatabase();
        JdbcTemplate jdbc = jdbc(dataSource);
        jdbc.execute("CREATE TABLE accounts (id VARCHAR(64) PRIMARY KEY, balance DECIMAL(19, 2) NOT NULL)");
        jdbc.execute("CREATE TABLE events (account VARCHAR(64), at TIMESTAMP WITH TIME ZONE, note VARCHAR(64),"
                + " count BIGINT, flag BOOLEAN)");
        // As in each service's Flyway migration.
        jdbc.execute("CREATE TABLE store_journal (id INT NOT NULL PRIMARY KEY, applied_lsn BIGINT NOT NULL)");
        jdbc.execute("INSERT INTO store_journal (id, applied_lsn) VALUES (1, 0)");
        jdbc.execute("CHECKPOINT SYNC");
        return dataSource;
    }

    private HikariDataSource openDatabase() {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl("jdbc:h2:file:" + dir.resolve("store") + ";WRITE_DELAY=3600000;DB_CLOSE_ON_EXIT=FALSE");
        dataSource.setUsername("sa");
        dataSource.setMaximumPoolSize(4);
        dataSources.add(dataSource);
        return dataSource;
    }

    private GroupCommit openStore(HikariDataSource dataSource, JournaledJdbcStore.Settings settings) {
        GroupCommit writes = JournaledJdbcStore.groupCommit("test", dataSource, dir.resolve("store.journal"), settings);
        stores.add(writes);
        return writes;
    }

    /** What a kill -9 leaves: the database closed without writing anything out; the journal as it is. */
    private void crash(HikariDataSource dataSource) {
        jdbc(dataSource).execute("SHUTDOWN IMMEDIATELY");
        GroupCommit writes = stores.remove(stores.size() - 1);
        writes.close(); // its final checkpoint fails on the closed database, so the journal stays as it was
        dataSource.close();
    }

    private static BigDecimal balanceOf(HikariDataSource dataSource, String id) {
        Map<String, Object> row = jdbc(dataSource).queryForMap("SELECT balance FROM accounts WHERE id = ?", id);
        return (BigDecimal) row.get("BALANCE");
    }

    private static JdbcTemplate jdbc(HikariDataSource dataSource) {
        return new JdbcTemplate(dataSource);
    }

    private static BigDecimal cents(long cents) {
        return BigDecimal.valueOf(cents, 2);
    }
}
