package dev.twophase.store.jdbc;

import dev.twophase.store.GroupCommit;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.util.unit.DataSize;

/**
 * A service's embedded H2 database as a {@link GroupCommit.Store}, made durable by a redo journal.
 *
 * <p>A batch runs on the writer's own connection in one database transaction (the services' {@code JdbcTemplate}
 * calls on the writer thread join it), each write under its own savepoint. Every statement that changed something is
 * recorded with its parameters; the commit also sets the database's {@code store_journal.applied_lsn} to the batch's
 * number; then the batch's statements are appended to the journal as one record and, in the forced mode, the journal
 * is forced. Only then are the batch's callers released. Every {@code writeOutInterval} (100 ms), between two
 * batches, the writer has H2 write its file out ({@code CHECKPOINT}); nobody waits for that.
 *
 * <p>Why: writing H2's file out on every batch ({@code CHECKPOINT}) serialises every B-tree page the batch touched
 * and leaves chunks behind for H2 to compact; a journal record is a few hundred bytes per write, appended.
 *
 * <p>After a crash, {@link #open} reads the journal and re-runs, in order and on one transaction each, the batches
 * whose number is above the database's {@code applied_lsn}: the database file holds every batch up to that number and
 * none after it (the number is written in the batch's own transaction), and the batches run one after another on one
 * connection, so re-running the statements on that state redoes them exactly. Every {@code checkpointInterval} (or
 * sooner, past {@code checkpointSize}) the write-out is also forced ({@code CHECKPOINT SYNC}; plain {@code CHECKPOINT}
 * in the kill -9 mode) and the journal emptied.
 */
public final class JournaledJdbcStore implements GroupCommit.Store {

    /**
     * A service's store settings ({@code twophase.log.*}): whether each batch is forced to the device (fsync) before
     * anyone hears of it (power-failure durable) or only written to the OS (kill -9 durable); how many writes one batch
     * may hold and how many may wait for the writer before callers are held back; how often H2's file is written out
     * between two batches; how often (or past which journal size) it is also forced and the journal emptied.
     */
    public record Settings(
            boolean forceOnCommit,
            int maxBatch,
            int maxQueued,
            Duration writeOutInterval,
            Duration checkpointInterval,
            DataSize checkpointSize) {}

    private static final Logger log = LoggerFactory.getLogger(JournaledJdbcStore.class);
    /** A writer step longer than this is logged: every write in the service waited for it. */
    private static final long SLOW_STEP_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private static final String SET_APPLIED = "UPDATE store_journal SET applied_lsn = ? WHERE id = 1";

    private final DataSource dataSource;
    private final Connection connection;
    private final Connection recording;
    private final StatementRecorder recorder;
    private final PreparedStatement setApplied;
    private final RedoJournal journal;
    private final Settings settings;
    private final long checkpointNanos;
    private final long writeOutNanos;
    private final RecordBuffer encoded = new RecordBuffer();
    private boolean batchToAppend;
    private long lsn;
    private long lastCheckpoint = System.nanoTime();
    private long lastWriteOut = lastCheckpoint;
    private RuntimeException broken;

    private JournaledJdbcStore(
            DataSource dataSource, Connection connection, RedoJournal journal, long lsn, Settings settings)
            throws SQLException {
        this.dataSource = dataSource;
        this.connection = connection;
        this.recorder = new StatementRecorder();
        this.recording = recorder.wrap(connection);
        this.setApplied = connection.prepareStatement(SET_APPLIED);
        this.journal = journal;
        this.lsn = lsn;
        this.settings = settings;
        this.checkpointNanos = settings.checkpointInterval().toNanos();
        this.writeOutNanos = settings.writeOutInterval().toNanos();
    }

    /**
     * A service's one writer: group commit on this store, opened (and redone from the journal) on {@code dataSource}.
     * A write whose batch could not be made durable throws a {@link DataAccessResourceFailureException} (a storage
     * failure; the coordinator then aborts).
     */
    public static GroupCommit groupCommit(String name, DataSource dataSource, Path journalFile, Settings settings) {
        return new GroupCommit(
                name,
                open(dataSource, journalFile, settings),
                settings.forceOnCommit(),
                settings.maxBatch(),
                settings.maxQueued(),
                failure -> new DataAccessResourceFailureException(
                        name + ": the write could not be made durable", failure));
    }

    /**
     * Opens the store on {@code dataSource} (whose schema has the {@code store_journal} table), first redoing from the
     * journal at {@code journalFile} every batch the database file lacks, then writing the database file out and
     * emptying the journal. Takes one connection of {@code dataSource} for the writer, for good.
     */
    public static JournaledJdbcStore open(DataSource dataSource, Path journalFile, Settings settings) {
        Connection connection = null;
        // Twice the checkpoint size (at most 64 MB), so that appends between two checkpoints stay inside the
        // preallocated file.
        RedoJournal journal = RedoJournal.open(
                journalFile, Math.min(2 * settings.checkpointSize().toBytes(), 64L << 20));
        try {
            connection = dataSource.getConnection();
            connection.setAutoCommit(false);
            long applied = appliedLsn(connection);
            long lsn = redo(connection, journal.readAll(), applied, journalFile);
            checkpoint(connection, true);
            journal.rewind();
            if (lsn > applied) {
                log.info(
                        "Redid batches {} to {} from the journal {}: the database file held batches up to {}",
                        applied + 1,
                        lsn,
                        journalFile,
                        applied);
            }
            return new JournaledJdbcStore(dataSource, connection, journal, lsn, settings);
        } catch (SQLException | RuntimeException e) {
            journal.close();
            WriterConnections.closeQuietly(connection);
            throw new DataAccessResourceFailureException("cannot open the store with its journal " + journalFile, e);
        }
    }

    /**
     * Redoes, on the schema it was written for, whatever the journal at {@code journalFile} holds that the database
     * file lacks, then writes the file out and empties the journal. Call it before a schema migration: a journal left by
     * a kill -9 holds statements of the old schema, which after the migration would fail or mean something else. Does
     * nothing without a journal file or on a database that has never journaled (no {@code store_journal} table).
     */
    public static void redoBeforeMigration(DataSource dataSource, Path journalFile, Settings settings) {
        if (!Files.exists(journalFile) || !hasJournalTable(dataSource)) {
            return;
        }
        open(dataSource, journalFile, settings).close();
    }

    private static boolean hasJournalTable(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection();
                ResultSet tables = connection.getMetaData().getTables(null, null, "STORE_JOURNAL", null)) {
            return tables.next();
        } catch (SQLException e) {
            throw new DataAccessResourceFailureException("cannot read the database's tables", e);
        }
    }

    @Override
    public void inOneTransaction(Runnable batch) {
        if (broken != null) {
            throw new IllegalStateException(
                    "the store stopped taking writes after its journal failed; restart the service", broken);
        }
        TransactionSynchronizationManager.bindResource(dataSource, new ConnectionHolder(recording));
        long started = System.nanoTime();
        try {
            batch.run();
            long ran = System.nanoTime();
            long next = lsn + 1;
            boolean changed = !recorder.isEmpty();
            if (changed) {
                setApplied.setLong(1, next);
                setApplied.executeUpdate();
            }
            connection.commit();
            warnIfSlow("batch", ran - started, "commit", System.nanoTime() - ran);
            if (changed) {
                RedoBatch.encode(recorder.recorded(), encoded);
                lsn = next;
                batchToAppend = true;
            }
        } catch (SQLException e) {
            rollBackQuietly();
            throw new DataAccessResourceFailureException("the batch could not be committed", e);
        } catch (RuntimeException | Error e) {
            rollBackQuietly();
            throw e;
        } finally {
            recorder.clear();
            TransactionSynchronizationManager.unbindResource(dataSource);
        }
    }

    @Override
    public <T> T isolated(Supplier<T> write) {
        int mark = recorder.mark();
        return WriterConnections.isolated(connection, write, () -> recorder.rollBackTo(mark));
    }

    /**
     * Appends the batch to the journal (forced if asked), and checkpoints when one is due. If the journal cannot take
     * the batch, the database file is written out at once instead (the batch's callers are still told it failed, as
     * with any write whose outcome is unknown); if that fails too, the store takes no more writes: a later batch in the
     * journal after a missing one would not be redone.
     */
    @Override
    public int writeOut(boolean force) {
        int forces = 0;
        if (batchToAppend) {
            batchToAppend = false;
            try {
                long started = System.nanoTime();
                journal.append(lsn, encoded.bytes(), encoded.size());
                long appended = System.nanoTime();
                if (force) {
                    journal.force();
                    forces++;
                }
                warnIfSlow("journal append", appended - started, "force", System.nanoTime() - appended);
            } catch (RuntimeException journalFailed) {
                try {
                    checkpointNow();
                } catch (RuntimeException checkpointFailed) {
                    journalFailed.addSuppressed(checkpointFailed);
                    broken = journalFailed;
                }
                throw journalFailed;
            }
        }
        long now = System.nanoTime();
        if (journal.size() >= settings.checkpointSize().toBytes()
                || (journal.size() > 0 && now - lastCheckpoint >= checkpointNanos)) {
            checkpointNow();
            forces += settings.forceOnCommit() ? 1 : 0;
            warnIfSlow("checkpoint", System.nanoTime() - now, "", 0);
        } else if (now - lastWriteOut >= writeOutNanos) {
            writeOutNow();
            warnIfSlow("write-out", System.nanoTime() - now, "", 0);
        }
        return forces;
    }

    /**
     * H2's file written out here, between two batches, so that it never holds a transaction that is still open: after
     * a kill -9, H2 2.4 does not reliably undo a transaction that was open when its file was written (seen here: a row
     * changed and its index entry missing, half of one transaction visible). Done often enough that H2 never writes on
     * its own while batches are coming (its own write delay is longer, see {@code H2FileUrl}), rarely enough that one
     * write-out covers many batches.
     */
    private void writeOutNow() {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CHECKPOINT");
        } catch (SQLException e) {
            throw new DataAccessResourceFailureException("writing the database file out failed", e);
        }
        lastWriteOut = System.nanoTime();
    }

    private void checkpointNow() {
        try {
            checkpoint(connection, settings.forceOnCommit());
        } catch (SQLException e) {
            throw new DataAccessResourceFailureException("checkpoint failed", e);
        }
        // The database file now holds every batch in the journal (durably, if forced): the journal can go.
        journal.rewind();
        lastCheckpoint = System.nanoTime();
        lastWriteOut = lastCheckpoint;
    }

    /**
     * Every write waits while the writer does one of these steps, so a slow one is a stall for the whole service: it
     * is logged with what took the time (a slow disk, H2 rewriting its file), to set beside a latency spike.
     */
    private static void warnIfSlow(String step, long nanos, String nextStep, long nextNanos) {
        if (nanos + nextNanos >= SLOW_STEP_NANOS) {
            log.warn(
                    "Slow store step: {} {} ms{}",
                    step,
                    TimeUnit.NANOSECONDS.toMillis(nanos),
                    nextStep.isEmpty() ? "" : ", " + nextStep + " " + TimeUnit.NANOSECONDS.toMillis(nextNanos) + " ms");
        }
    }

    /** Writes the database file out, empties the journal and gives the writer's connection back. */
    @Override
    public void close() {
        try {
            checkpoint(connection, true);
            journal.rewind();
        } catch (SQLException | RuntimeException e) {
            log.warn("Closing the store without a final checkpoint; the journal is redone at the next start", e);
        } finally {
            journal.close();
            WriterConnections.closeQuietly(connection);
        }
    }

    /** The batch's encoded record, reused from batch to batch; its buffer is read in place (no copy per batch). */
    private static final class RecordBuffer extends ByteArrayOutputStream {
        RecordBuffer() {
            super(16 * 1024);
        }

        byte[] bytes() {
            return buf;
        }
    }

    private static long redo(Connection connection, List<RedoJournal.Entry> entries, long applied, Path journalFile)
            throws SQLException {
        long lsn = applied;
        for (RedoJournal.Entry entry : entries) {
            if (entry.number() <= lsn) {
                continue;
            }
            if (entry.number() != lsn + 1) {
                throw new IllegalStateException("the journal " + journalFile + " goes on at batch " + entry.number()
                        + " but the database file holds batches only up to " + lsn
                        + ": batches in between are lost; refusing to start on an incomplete store");
            }
            for (RedoBatch.Statement statement : RedoBatch.decode(entry.payload())) {
                try (PreparedStatement redo = connection.prepareStatement(statement.sql())) {
                    Object[] parameters = statement.parameters();
                    for (int i = 0; i < parameters.length; i++) {
                        redo.setObject(i + 1, parameters[i]);
                    }
                    redo.execute();
                }
            }
            try (PreparedStatement mark = connection.prepareStatement(SET_APPLIED)) {
                mark.setLong(1, entry.number());
                mark.executeUpdate();
            }
            connection.commit();
            lsn = entry.number();
        }
        return lsn;
    }

    private static long appliedLsn(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT applied_lsn FROM store_journal WHERE id = 1")) {
            if (!row.next()) {
                throw new IllegalStateException("store_journal has no row: the schema migration did not run");
            }
            long applied = row.getLong(1);
            connection.commit();
            return applied;
        }
    }

    private static void checkpoint(Connection connection, boolean force) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(force ? "CHECKPOINT SYNC" : "CHECKPOINT");
        }
    }

    private void rollBackQuietly() {
        try {
            connection.rollback();
        } catch (SQLException e) {
            log.warn("Rolling back a failed batch failed too", e);
        }
    }
}
