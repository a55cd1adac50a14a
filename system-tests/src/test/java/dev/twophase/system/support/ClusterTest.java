package dev.twophase.system.support;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;

/**
 * One cluster (coordinator, bank-a, bank-b as real processes) for all tests of a class; each test gets fresh
 * accounts, and any process a test killed or started with a crash point is brought back plain after it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ClusterTest {

    protected Cluster cluster;
    protected Api api;
    protected Ledger ledger;

    /**
     * Where the cluster's services keep their state: H2 unless a subclass says otherwise. A test class that proves a
     * guarantee on every store is a {@code @ParameterizedClass} over {@link Store} that returns its parameter here; it
     * then gets one cluster per store.
     */
    protected Store store() {
        return Store.H2;
    }

    /** Arguments every process of this class's cluster gets (each service ignores the others' settings). */
    protected List<String> clusterArgs() {
        return List.of();
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
            cluster = null;
        }
    }

    /** A parameterized class's cluster is of one store: the next store's invocation starts its own. */
    @AfterParameterizedClassInvocation
    void stopClusterOfThisStore() {
        stopCluster();
    }

    /** The cluster starts with the class's first test (once the store is known) and serves all of them. */
    @BeforeEach
    void freshLedger() {
        if (cluster == null) {
            Store store = store();
            cluster = Cluster.start(
                    getClass().getSimpleName()
                            + (store == Store.H2 ? "" : "-" + store.name().toLowerCase()),
                    clusterArgs(),
                    store);
            api = cluster.api();
        }
        ledger = new Ledger(api);
    }

    @AfterEach
    void healCluster() {
        cluster.heal();
    }
}
