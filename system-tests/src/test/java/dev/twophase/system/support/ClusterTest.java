package dev.twophase.system.support;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/**
 * One cluster (coordinator, bank-a, bank-b as real processes) for all tests of a class; each test gets fresh
 * accounts, and any process a test killed or started with a crash point is brought back plain after it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ClusterTest {

    protected Cluster cluster;
    protected Api api;
    protected Ledger ledger;

    @BeforeAll
    void startCluster() {
        cluster = Cluster.start(getClass().getSimpleName(), clusterArgs());
        api = cluster.api();
    }

    /** Arguments every process of this class's cluster gets (each service ignores the others' settings). */
    protected List<String> clusterArgs() {
        return List.of();
    }

    @AfterAll
    void stopCluster() {
        cluster.close();
    }

    @BeforeEach
    void freshLedger() {
        ledger = new Ledger(api);
    }

    @AfterEach
    void healCluster() {
        cluster.heal();
    }
}
