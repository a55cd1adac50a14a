package dev.twophase.coordinator.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twophase.coordinator.transaction.Ballot;
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

    /** A torn write seen after kill -9 (src-docs/durability.md): the decision is there, its delivery schedule is not. */
    @Test
    void aDecidedDeliveryWhoseScheduleWasLostIsStillDue() {
        log.begin("tx-1", CROSS_BANK, null, "hash", T0);
        log.logDecision("tx-1", Decision.COMMIT, null, Map.of("bank-a", Ballot.YES, "bank-b", Ballot.YES), T0, T0);
        store.jdbc().update("UPDATE transaction_participants SET next_attempt_at = NULL WHERE tx_id = 'tx-1'");

        assertThat(log.claimDueDeliveries(T0, T0.plusSeconds(10), 10)).hasSize(2);
        assertThat(log.makeAllDeliveriesDue(T0)).isEqualTo(2);
    }

    @Override
    void close() {
        if (store != null) {
            store.close();
        }
    }
}
