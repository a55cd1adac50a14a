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
        store = new H2TransactionLogs(dataDir, self::get);
        return store.log();
    }

    /**
     * The decision is write-once in SQL, whatever the writer believes: a statement that would turn a recorded COMMIT
     * into ABORTING, worked out from a stale PREPARING copy of the row at the row's current version and owner, changes
     * nothing.
     */
    @Test
    void noStatementTurnsARecordedDecisionIntoTheOther() {
        beginAndDecideCommit("tx-1");
        WrittenRows.Written current =
                new JdbcTransactionReads(store.jdbc()).findForWrite("tx-1").orElseThrow();
        TransactionRecord stale = current.record();
        TransactionRecord aborting = new TransactionRecord(
                stale.txId(),
                TxState.ABORTING,
                stale.transfer(),
                AbortReason.TIMEOUT,
                stale.idempotencyKey(),
                stale.requestHash(),
                stale.createdAt(),
                T0,
                null,
                stale.participants(),
                stale.owner());

        int changed = store.jdbc()
                .update(TransactionRows.UPDATE, TransactionRows.updateOf(aborting, stale, current.version()));

        assertThat(changed).isZero();
        assertThat(log.find("tx-1").orElseThrow().state()).isEqualTo(TxState.COMMITTING);
    }

    /**
     * Unowned means: no unfenced lease of that node at that epoch. A live node's transactions and one whose lease ran
     * out but nobody fenced yet are owned; a fenced node's, an earlier epoch's and those from before the cluster are
     * not; an ended transaction is never listed.
     */
    @Test
    void unfinishedTransactionsWhoseOwnerHoldsNoLeaseAreUnowned() {
        String lease = "INSERT INTO coordinator_nodes (node_id, epoch, lease_millis, started_at, renewed_at, renewals,"
                + " fenced_at) VALUES (?, ?, 5000, CURRENT_TIMESTAMP, ?, 0, ?)";
        java.sql.Timestamp longAgo = java.sql.Timestamp.from(T0);
        store.jdbc().update(lease, "node-1", 2, longAgo, null); // joined again at epoch 2: epoch 1 is over
        store.jdbc().update(lease, "node-2", 1, longAgo, null); // lapsed, not fenced yet: still owns
        store.jdbc().update(lease, "node-3", 1, longAgo, longAgo); // fenced
        for (Owner owner : java.util.List.of(NODE_1, NODE_2, new Owner("node-3", 1), new Owner("node-1", 2))) {
            self.set(owner);
            log.begin("tx-" + owner, CROSS_BANK, null, "hash", T0);
        }
        self.set(NODE_1);
        beginAndDecideCommit("tx-ended");
        log.recordAcknowledgements("tx-ended", java.util.List.of("bank-a", "bank-b"), T0);
        log.begin("tx-old", CROSS_BANK, null, "hash", T0);
        store.jdbc().update("UPDATE transactions SET owner_node = '', owner_epoch = 0 WHERE tx_id = 'tx-old'");

        assertThat(log.findUnowned(10))
                .extracting(OwnedTransaction::txId)
                .containsExactlyInAnyOrder("tx-node-1#1", "tx-node-3#1", "tx-old");
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
