package dev.twophase.coordinator.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twophase.coordinator.transaction.Ballot;
import dev.twophase.coordinator.transaction.TxState;
import dev.twophase.protocol.AbortReason;
import dev.twophase.protocol.Decision;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JDBC log on a real H2 file with the production settings and the Flyway schema. */
class JdbcTransactionLogTest extends TransactionLogContract {

    @TempDir
    Path dataDir;

    private H2TransactionLogs store;

    @Override
    TransactionLog open() {
        store = new H2TransactionLogs(dataDir);
        return store.log();
    }

    /**
     * A torn write seen after kill -9 (src-docs/durability.md): the decision is there, the banks' delivery schedules are
     * not. (With one row per transaction since V5 a write can no longer tear like that; a row whose banks have no
     * next attempt is still due rather than lost.)
     */
    @Test
    void aDecidedDeliveryWhoseScheduleWasLostIsStillDue() {
        beginAndDecideCommit("tx-1");
        store.jdbc()
                .update(
                        "UPDATE transactions SET from_next_attempt_at = NULL, to_next_attempt_at = NULL WHERE tx_id = 'tx-1'");

        assertThat(log.claimDueDeliveries(T0, T0.plusSeconds(10), 10)).hasSize(2);
        assertThat(log.makeAllDeliveriesDue(T0)).isEqualTo(2);
    }

    /**
     * The writer remembers the rows it wrote and writes over them without reading them first; a row that is no longer
     * the version it wrote (here changed behind its back; in production, a batch that failed after the write) is read
     * again and the write worked out on what the database holds.
     */
    @Test
    void aWriteOverARowThatIsNoLongerAsWrittenReadsItAgain() {
        beginAndDecideCommit("tx-1");
        store.jdbc()
                .update("UPDATE transactions SET from_acknowledged = TRUE, row_version = row_version + 1"
                        + " WHERE tx_id = 'tx-1'");

        log.recordAcknowledgement("tx-1", "bank-b", T0.plusSeconds(1));

        TransactionRecord ended = log.find("tx-1").orElseThrow();
        assertThat(ended.state()).isEqualTo(TxState.COMMITTED);
        assertThat(ended.participants()).allMatch(ParticipantEntry::acknowledged);
    }

    /**
     * The writer's memory can be ahead of the database: a decision written in a batch that then failed is remembered
     * but not stored. The abort that follows such a failure must still be logged, not refused as "already decided".
     */
    @Test
    void aDecisionRememberedFromAFailedBatchDoesNotStopTheAbortThatFollows() {
        beginAndDecideCommit("tx-1");
        // What the database holds if the decision's batch had failed: the row as begun, at another version.
        store.jdbc()
                .update("UPDATE transactions SET state = 'PREPARING', decided_at = NULL, from_vote = NULL,"
                        + " to_vote = NULL, next_delivery_at = NULL, row_version = 7 WHERE tx_id = 'tx-1'");

        boolean logged = log.logDecision(
                "tx-1", Decision.ABORT, AbortReason.DECISION_NOT_LOGGED, Map.of(), T0.plusSeconds(1), T0);

        assertThat(logged).isTrue();
        assertThat(log.find("tx-1").orElseThrow().state()).isEqualTo(TxState.ABORTING);
    }

    /** Logs a cross-bank transfer both banks voted YES for, decided COMMIT: the writer now remembers its row. */
    private void beginAndDecideCommit(String txId) {
        log.begin(txId, CROSS_BANK, null, "hash", T0);
        log.logDecision(txId, Decision.COMMIT, null, Map.of("bank-a", Ballot.YES, "bank-b", Ballot.YES), T0, T0);
    }

    @Override
    void close() {
        if (store != null) {
            store.close();
        }
    }
}
