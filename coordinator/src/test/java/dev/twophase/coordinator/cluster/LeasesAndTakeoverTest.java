package dev.twophase.coordinator.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twophase.coordinator.config.CoordinatorProperties;
import dev.twophase.coordinator.log.H2TransactionLogs;
import dev.twophase.coordinator.log.NotOwner;
import dev.twophase.coordinator.log.TransactionLog;
import dev.twophase.coordinator.log.TransactionRecord;
import dev.twophase.coordinator.transaction.Transfer;
import dev.twophase.coordinator.transaction.TransferMetrics;
import dev.twophase.coordinator.transaction.TxState;
import dev.twophase.fault.CrashPoints;
import dev.twophase.protocol.AbortReason;
import dev.twophase.protocol.Decision;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Two nodes' leases and a takeover on one real store (an H2 file with the Flyway schema; the SQL is the same on
 * PostgreSQL). Leases are made to lapse by moving their last renewal back in the database, not by waiting: the renewal
 * interval here is an hour, so no renewal thread interferes.
 */
class LeasesAndTakeoverTest {

    private static final Transfer TRANSFER =
            Transfer.between("bank-a", "alice", "bank-b", "bob", new BigDecimal("10.00"));
    private static final Duration RENEWAL = Duration.ofHours(1);

    @TempDir
    Path dataDir;

    private H2TransactionLogs store;
    private JdbcTemplate jdbc;
    private NodeRegistry registry;
    private final ExecutorService executor = Executors.newSingleThreadExecutor();

    @BeforeEach
    void openStore() {
        store = new H2TransactionLogs(dataDir);
        jdbc = store.jdbc();
        registry = new NodeRegistry(jdbc, store.writes());
    }

    @AfterEach
    void closeStore() {
        executor.shutdownNow();
        store.close();
    }

    @Test
    void aLapsedLeaseIsFencedOnlyWhenTwoPassesFindItLapsedAtTheSameRenewalAndItsTransactionsAreTakenOver() {
        ClusterMembership node1 = join("node-1");
        ClusterMembership node2 = join("node-2");
        TransactionLog log1 = store.logFor(node1);
        TransactionLog log2 = store.logFor(node2);
        TakeoverLoop takeovers2 = takeoverLoop(node2, log2);
        log1.begin("tx-undecided", TRANSFER, null, "hash", Instant.now());
        log1.begin("tx-decided", TRANSFER, null, "hash", Instant.now());
        log1.logDecision(
                "tx-decided",
                Decision.COMMIT,
                null,
                Map.of(),
                Instant.now(),
                Instant.now().plusSeconds(60));

        // After the database itself was down every lease looks lapsed; node 1 renews before node 2's second look.
        lapse("node-1");
        assertThat(takeovers2.run(false).fenced()).isZero();
        assertThat(registry.renew(node1.get())).isTrue();
        assertThat(takeovers2.run(false).fenced()).isZero();
        assertThat(log1.find("tx-undecided").orElseThrow().owner()).isEqualTo(node1.get());

        // Node 1 really stops renewing: the second look fences it and takes its two transactions over.
        lapse("node-1");
        assertThat(takeovers2.run(false).fenced()).isZero();
        TakeoverLoop.Pass pass = takeovers2.run(false);

        assertThat(pass.fenced()).isEqualTo(1);
        assertThat(pass.taken()).isEqualTo(2);
        assertThat(pass.aborted()).isEqualTo(1);
        assertThat(pass.redelivering()).isEqualTo(2);
        TransactionRecord undecided = log2.find("tx-undecided").orElseThrow();
        assertThat(undecided.state()).isEqualTo(TxState.ABORTING);
        assertThat(undecided.reason()).isEqualTo(AbortReason.COORDINATOR_TAKEN_OVER);
        assertThat(undecided.owner()).isEqualTo(node2.get());
        TransactionRecord decided = log2.find("tx-decided").orElseThrow();
        assertThat(decided.state()).isEqualTo(TxState.COMMITTING);
        // The COMMIT's deliveries were leased by node 1 for a minute; node 2 made them due now, with its ABORT's.
        assertThat(log2.claimDueDeliveries(Instant.now(), Instant.now().plusSeconds(10), 10))
                .extracting(delivery -> delivery.txId() + " " + delivery.bankId() + " " + delivery.decision())
                .containsExactlyInAnyOrder(
                        "tx-decided bank-a COMMIT",
                        "tx-decided bank-b COMMIT",
                        "tx-undecided bank-a ABORT",
                        "tx-undecided bank-b ABORT");
        // Node 1, resumed: its decision is refused; its renewal fails and it joins again under epoch 2.
        assertThatThrownBy(() ->
                        log1.logDecision("tx-undecided", Decision.COMMIT, null, Map.of(), Instant.now(), Instant.now()))
                .isInstanceOf(NotOwner.class);
        assertThat(registry.renew(node1.get())).isFalse();
        node1.renew();
        assertThat(node1.get().epoch()).isEqualTo(2);
        assertThat(registry.find("node-1").orElseThrow().fencedAt()).isNull();
        // What node 2 took stays node 2's.
        assertThat(log2.find("tx-decided").orElseThrow().owner()).isEqualTo(node2.get());
    }

    @Test
    void aNodeCutOffFromTheDatabaseFencesNobody() {
        ClusterMembership node1 = join("node-1");
        AtomicLong nanos = new AtomicLong();
        ClusterMembership node2 = new ClusterMembership(
                registry,
                properties("node-2", RENEWAL),
                false,
                new ClusterMetrics(new SimpleMeterRegistry()),
                nanos::get);
        node2.join();
        TakeoverLoop takeovers2 = takeoverLoop(node2, store.logFor(node2));
        lapse("node-1");
        // Node 2 has not renewed for a lease length by its own clock (it cannot reach the database, say).
        nanos.addAndGet(RENEWAL.multipliedBy(2).toNanos());

        takeovers2.run(false);
        takeovers2.run(false);

        assertThat(node2.holdsLease()).isFalse();
        assertThat(registry.find("node-1").orElseThrow().fencedAt()).isNull();
        assertThat(registry.renew(node1.get())).isTrue();
    }

    @Test
    void aRestartOfANodeWhoseProcessIsGoneJoinsAtOnceUnderTheNextEpoch() throws Exception {
        ClusterMembership first = join("node-1");
        // The first run's process is gone (kill -9): its row names a pid that no longer runs on this host.
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        jdbc.update("UPDATE coordinator_nodes SET pid = ? WHERE node_id = 'node-1'", gone.pid());

        ClusterMembership second = join("node-1");

        assertThat(second.get().epoch()).isEqualTo(first.get().epoch() + 1);
    }

    @Test
    void aSecondLiveProcessWithTheSameNodeIdRefusesToJoin() {
        ClusterMembership live = new ClusterMembership(
                registry,
                properties("node-1", Duration.ofMillis(100)),
                false,
                new ClusterMetrics(new SimpleMeterRegistry()));
        live.join(); // renews every 100 ms; its row names this process, which is alive

        ClusterMembership duplicate = new ClusterMembership(
                registry,
                properties("node-1", Duration.ofMillis(100)),
                false,
                new ClusterMetrics(new SimpleMeterRegistry()));

        try {
            assertThatThrownBy(duplicate::join)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("node id node-1 is held by a live coordinator");
        } finally {
            live.close();
        }
    }

    private ClusterMembership join(String nodeId) {
        ClusterMembership membership = new ClusterMembership(
                registry, properties(nodeId, RENEWAL), false, new ClusterMetrics(new SimpleMeterRegistry()));
        membership.join();
        return membership;
    }

    private TakeoverLoop takeoverLoop(ClusterMembership node, TransactionLog log) {
        return new TakeoverLoop(
                node,
                registry,
                new TakeoverRecords(jdbc, store.writes()),
                log,
                null, // no one-phase transaction in these tests
                executor,
                CrashPoints.disarmed(),
                new TransferMetrics(new SimpleMeterRegistry(), Clock.systemUTC()),
                new ClusterMetrics(new SimpleMeterRegistry()),
                Clock.systemUTC());
    }

    /** The node's last renewal three lease lengths ago, by the database's clock. */
    private void lapse(String nodeId) {
        Instant longAgo = registry.databaseNow().minus(RENEWAL.multipliedBy(6));
        jdbc.update("UPDATE coordinator_nodes SET renewed_at = ? WHERE node_id = ?", Timestamp.from(longAgo), nodeId);
    }

    private static CoordinatorProperties properties(String nodeId, Duration renewal) {
        return new CoordinatorProperties(
                null,
                Map.of(),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                nodeId,
                new CoordinatorProperties.Cluster(renewal.multipliedBy(2), renewal));
    }
}
