package dev.twophase.coordinator.log;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.twophase.coordinator.transaction.HeuristicOutcome;
import dev.twophase.coordinator.transaction.TxState;
import dev.twophase.protocol.Decision;
import dev.twophase.protocol.ParticipantState;
import dev.twophase.protocol.Vote;
import dev.twophase.store.GroupCommit;
import dev.twophase.store.H2FileUrl;
import dev.twophase.store.jdbc.JournaledJdbcStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A coordinator upgraded across V5 (one row per transaction) on real H2 files: what the V4 log held, in doubt or not,
 * is the same transaction afterwards; and a journal that a kill -9 left behind is redone on the V4 schema it was
 * written for before V5 migrates.
 */
class SchemaUpgradeTest {

    private static final Instant T0 = Instant.parse("2026-12-02T10:00:00Z");

    @TempDir
    Path dataDir;

    @Test
    void everyBanksPartInTheV4LogIsKeptByV5() {
        try (HikariDataSource v4 = v4Database()) {
            JdbcTemplate jdbc = new JdbcTemplate(v4);
            insertV4Transaction(jdbc, "tx-doubt", "COMMITTING", "bank-b");
            jdbc.update(
                    """
                    UPDATE transaction_participants SET vote = 'YES', acknowledged = TRUE, acknowledged_at = ?
                    WHERE tx_id = 'tx-doubt' AND bank_id = 'bank-a'
                    """,
                    Timestamp.from(T0));
            jdbc.update(
                    """
                    UPDATE transaction_participants SET vote = 'YES', attempts = 3, last_error = 'bank down',
                                                        next_attempt_at = ?
                    WHERE tx_id = 'tx-doubt' AND bank_id = 'bank-b'
                    """,
                    Timestamp.from(T0.plusSeconds(30)));
            insertV4Transaction(jdbc, "tx-one-bank", "COMMITTED", "bank-a");
            jdbc.update(
                    "UPDATE transaction_participants SET vote = 'YES', acknowledged = TRUE WHERE tx_id = 'tx-one-bank'");
            insertV4Transaction(jdbc, "tx-heuristic", "ABORTED", "bank-b");
            jdbc.update(
                    """
                    UPDATE transaction_participants SET acknowledged = TRUE, heuristic = 'MISMATCH',
                                                        heuristic_state = 'COMMITTED'
                    WHERE tx_id = 'tx-heuristic'
                    """);
            jdbc.execute("SHUTDOWN");
        }

        try (H2TransactionLogs upgraded = new H2TransactionLogs(dataDir)) {
            TransactionLog log = upgraded.log();
            TransactionRecord doubt = log.find("tx-doubt").orElseThrow();
            assertThat(doubt.state()).isEqualTo(TxState.COMMITTING);
            assertThat(doubt.participants())
                    .containsExactly(
                            new ParticipantEntry("bank-a", Vote.YES, null, true, T0, 0, null, null, null, null),
                            new ParticipantEntry(
                                    "bank-b",
                                    Vote.YES,
                                    null,
                                    false,
                                    null,
                                    3,
                                    "bank down",
                                    T0.plusSeconds(30),
                                    null,
                                    null));
            // Logged before the cluster (V6): nobody owns it, so the first node to start takes it over (and it is
            // then due again, to the bank that has not acknowledged only).
            assertThat(doubt.owner()).isEqualTo(Owner.NOBODY);
            assertThat(log.findUnowned(10)).extracting(OwnedTransaction::txId).contains("tx-doubt");
            log.takeOver(
                    new Takeover("first-start", Owner.NOBODY, TransactionLogContract.NODE_1, null, Instant.now()),
                    List.of("tx-doubt"));
            assertThat(log.claimDueDeliveries(Instant.now(), Instant.now().plusSeconds(5), 10))
                    .containsExactly(new PendingDelivery("tx-doubt", "bank-b", Decision.COMMIT, 3));

            assertThat(log.find("tx-one-bank").orElseThrow().participants())
                    .extracting(ParticipantEntry::bankId, ParticipantEntry::acknowledged)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("bank-a", true));
            ParticipantEntry mismatch =
                    log.find("tx-heuristic").orElseThrow().participants().get(1);
            assertThat(mismatch.heuristic()).isEqualTo(HeuristicOutcome.MISMATCH);
            assertThat(mismatch.heuristicState()).isEqualTo(ParticipantState.COMMITTED);
        }
    }

    @Test
    void aJournalLeftByAKillIsRedoneOnTheSchemaItWasWrittenForBeforeV5Migrates() throws Exception {
        Path database = dataDir.resolve("coordinator.mv.db");
        Path journal = dataDir.resolve("coordinator.journal");
        Path databaseBeforeTheBatch = dataDir.resolve("before.mv.db.copy");
        Path journalWithTheBatch = dataDir.resolve("journal.copy");
        try (HikariDataSource v4 = v4Database()) {
            new JdbcTemplate(v4).execute("SHUTDOWN");
        }
        Files.copy(database, databaseBeforeTheBatch);
        try (HikariDataSource v4 = h2()) {
            GroupCommit writes = JournaledJdbcStore.groupCommit("v4-log", v4, journal, H2TransactionLogs.SETTINGS);
            writes.write(() -> insertV4Transaction(new JdbcTemplate(v4), "tx-journaled", "COMMITTING", "bank-b"));
            // What a kill -9 right now leaves on disk: the journal holds the batch, the database file may not.
            Files.copy(journal, journalWithTheBatch);
            writes.close();
            new JdbcTemplate(v4).execute("SHUTDOWN");
        }
        Files.copy(databaseBeforeTheBatch, database, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(journalWithTheBatch, journal, StandardCopyOption.REPLACE_EXISTING);

        try (H2TransactionLogs upgraded = new H2TransactionLogs(dataDir)) {
            TransactionRecord redone = upgraded.log().find("tx-journaled").orElseThrow();
            assertThat(redone.state()).isEqualTo(TxState.COMMITTING);
            assertThat(redone.participants())
                    .extracting(ParticipantEntry::bankId)
                    .containsExactly("bank-a", "bank-b");
        }
    }

    private HikariDataSource v4Database() {
        HikariDataSource dataSource = h2();
        Flyway.configure().dataSource(dataSource).target("4").load().migrate();
        return dataSource;
    }

    private HikariDataSource h2() {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(H2FileUrl.of(dataDir, "coordinator"));
        dataSource.setUsername("sa");
        return dataSource;
    }

    /** A transaction as V4 wrote it: its row, and one row per bank in transaction_participants. */
    private static void insertV4Transaction(JdbcTemplate jdbc, String txId, String state, String toBank) {
        jdbc.update(
                """
                INSERT INTO transactions (tx_id, state, from_bank, from_account, to_bank, to_account, amount,
                                          created_at, decided_at)
                VALUES (?, ?, 'bank-a', 'alice', ?, 'bob', 25.00, ?, ?)
                """,
                txId,
                state,
                toBank,
                Timestamp.from(T0),
                Timestamp.from(T0));
        jdbc.update("INSERT INTO transaction_participants (tx_id, bank_id) VALUES (?, 'bank-a')", txId);
        if (!toBank.equals("bank-a")) {
            jdbc.update("INSERT INTO transaction_participants (tx_id, bank_id) VALUES (?, ?)", txId, toBank);
        }
    }
}
