package dev.twophase.system.support;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
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

    /**
     * Where the cluster's services keep their state: H2 unless a subclass says otherwise. A test class that proves a
     * guarantee on every store is a {@code @ParameterizedClass} over {@link Store} that returns its parameter here; it
     * then gets one cluster per store.
     */
    protected Store store() {
        return Store.H2;
    }

    /** Coordinator nodes: 1, or 2 for a coordinator cluster on PostgreSQL ({@link Cluster#startCoordinatorCluster}). */
    protected int coordinatorNodes() {
        return 1;
    }

    /** Banks: 2 (bank-a, bank-b), or 3 with bank-c for transactions of three banks. */
    protected int bankCount() {
        return 2;
    }

    /** Arguments every process of this class's cluster gets (each service ignores the others' settings). */
    protected List<String> clusterArgs() {
        return List.of();
    }

    /**
     * The one cluster running now (test classes run one after another). A parameterized class's invocations may each
     * have their own instance; the next store's invocation closes the previous store's cluster through this.
     */
    private static Cluster current;

    @AfterAll
    void stopCluster() {
        closeCurrent();
        cluster = null;
    }

    /** The cluster starts with the class's first test (once the store is known) and serves all of them. */
    @BeforeEach
    void freshLedger() {
        Store store = store();
        if (cluster == null || cluster.store() != store) {
            closeCurrent();
            String name = getClass().getSimpleName()
                    + (store == Store.H2 ? "" : "-" + store.name().toLowerCase());
            cluster = coordinatorNodes() > 1
                    ? Cluster.startCoordinatorCluster(name, clusterArgs())
                    : bankCount() == 3
                            ? Cluster.startWithThreeBanks(name, clusterArgs(), store)
                            : Cluster.start(name, clusterArgs(), store);
            current = cluster;
            api = cluster.api();
        }
        ledger = new Ledger(api);
    }

    private static void closeCurrent() {
        if (current != null) {
            Cluster closing = current;
            current = null;
            closing.close();
        }
    }

    @AfterEach
    void healCluster() {
        cluster.heal();
    }
}
