package dev.twophase.coordinator.cluster;

import dev.twophase.coordinator.log.OwnedTransaction;
import dev.twophase.coordinator.log.Owner;
import dev.twophase.coordinator.log.Takeover;
import dev.twophase.coordinator.log.TransactionLog;
import dev.twophase.coordinator.log.TransactionRecord;
import dev.twophase.coordinator.transaction.CoordinatorCrashPoints;
import dev.twophase.coordinator.transaction.OnePhaseCommit;
import dev.twophase.coordinator.transaction.TransferMetrics;
import dev.twophase.coordinator.transaction.TxState;
import dev.twophase.fault.CrashPoints;
import dev.twophase.protocol.AbortReason;
import dev.twophase.protocol.Decision;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;

/**
 * Finishes what dead owners left. Every renewal interval, on a thread of its own:
 * <ol>
 *   <li>fences every other node's lease that has lapsed by the database's clock (a compare-and-set on the very renewal
 *       judged lapsed, so a node that renewed meanwhile keeps its lease);
 *   <li>takes over every unfinished transaction whose owner holds no lease (fenced, superseded by a newer epoch of its
 *       node, or from before the cluster), each row a compare-and-set on its owner, so two survivors never both take
 *       one;
 *   <li>finishes them as a restart would: an undecided two-phase transaction is aborted (presumed abort: nobody is
 *       collecting its votes any more), a decided one has its deliveries made due now, an undecided one-phase one is
 *       resolved by asking its bank (the bank decides it; the orphan sweeper asks again if it does not answer);
 *   <li>marks this node's takeovers finished once all their transactions ended.
 * </ol>
 * The same pass runs once at start, before the web server opens: that is how a node finishes its own previous
 * epoch's transactions after a restart.
 */
public class TakeoverLoop implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TakeoverLoop.class);
    private static final int BATCH = 500;

    private final ClusterMembership membership;
    private final NodeRegistry registry;
    private final TakeoverRecords records;
    private final TransactionLog transactionLog;
    private final OnePhaseCommit onePhase;
    private final ExecutorService protocolExecutor;
    private final CrashPoints crashPoints;
    private final TransferMetrics transferMetrics;
    private final ClusterMetrics metrics;
    private final Clock clock;
    /** Leases seen lapsed by the last pass: node id → its renewal count then. Used by the takeover thread only. */
    private final Map<String, Long> lapsedLastPass = new java.util.HashMap<>();

    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "takeover");
        thread.setDaemon(true);
        return thread;
    });

    TakeoverLoop(
            ClusterMembership membership,
            NodeRegistry registry,
            TakeoverRecords records,
            TransactionLog transactionLog,
            OnePhaseCommit onePhase,
            ExecutorService protocolExecutor,
            CrashPoints crashPoints,
            TransferMetrics transferMetrics,
            ClusterMetrics metrics,
            Clock clock) {
        this.onePhase = onePhase;
        this.protocolExecutor = protocolExecutor;
        this.membership = membership;
        this.registry = registry;
        this.records = records;
        this.transactionLog = transactionLog;
        this.crashPoints = crashPoints;
        this.transferMetrics = transferMetrics;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** What one pass found and did. */
    public record Pass(int fenced, int taken, int aborted, int onePhaseLeft, int redelivering) {

        Pass plus(Pass other) {
            return new Pass(
                    fenced + other.fenced,
                    taken + other.taken,
                    aborted + other.aborted,
                    onePhaseLeft + other.onePhaseLeft,
                    redelivering + other.redelivering);
        }
    }

    /** Starts the periodic passes (once the service is up). */
    public void start() {
        long every = membership.renewalInterval().toMillis();
        loop.scheduleWithFixedDelay(this::runQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        loop.shutdownNow();
    }

    private void runQuietly() {
        try {
            run(false);
            finishTakeovers();
        } catch (DataAccessResourceFailureException storeDown) {
            log.warn(
                    "takeover pass skipped, the log cannot be reached: {}",
                    storeDown.getMostSpecificCause().toString());
        } catch (RuntimeException e) {
            log.error("takeover pass failed", e);
        }
    }

    /** One pass; {@code atStart}: this node's start, before it takes work (crash points of recovery apply). */
    public Pass run(boolean atStart) {
        int fenced = fenceLapsedLeases();
        Pass pass = new Pass(fenced, 0, 0, 0, 0);
        List<OwnedTransaction> unowned;
        do {
            unowned = transactionLog.findUnowned(BATCH);
            Map<Owner, List<String>> byOwner = unowned.stream()
                    .collect(Collectors.groupingBy(
                            OwnedTransaction::owner,
                            LinkedHashMap::new,
                            Collectors.mapping(OwnedTransaction::txId, Collectors.toList())));
            int takenThisRound = 0;
            for (Map.Entry<Owner, List<String>> group : byOwner.entrySet()) {
                Pass took = takeOver(group.getKey(), group.getValue(), atStart);
                takenThisRound += took.taken();
                pass = pass.plus(took);
            }
            if (takenThisRound == 0) {
                break; // all taken by other nodes meanwhile, or none to take
            }
        } while (unowned.size() == BATCH);
        return pass;
    }

    /**
     * Fences the leases that lapsed. Only while this node holds its own lease (a node cut off from the database judges
     * nothing), and only a lease seen lapsed at the same renewal by two passes in a row: after the database itself
     * was down every lease looks lapsed by its clock, and the second look gives each live node one renewal interval to
     * renew before it is fenced (src-docs/cluster.md, "The database restarts").
     */
    private int fenceLapsedLeases() {
        if (!membership.holdsLease()) {
            lapsedLastPass.clear();
            return 0;
        }
        Instant now = registry.databaseNow();
        Map<String, Long> lapsedNow = new java.util.HashMap<>();
        int fenced = 0;
        for (NodeLease lease : registry.all()) {
            if (lease.nodeId().equals(membership.nodeId()) || !lease.hasLapsed(now)) {
                continue;
            }
            lapsedNow.put(lease.nodeId(), lease.renewals());
            if (Long.valueOf(lease.renewals()).equals(lapsedLastPass.get(lease.nodeId()))
                    && registry.fence(lease, membership.nodeId())) {
                log.warn(
                        "node {} (epoch {}) did not renew its lease since {} ({} ago by the database's clock): fenced; "
                                + "its unfinished transactions are taken over",
                        lease.nodeId(),
                        lease.epoch(),
                        lease.renewedAt(),
                        java.time.Duration.between(lease.renewedAt(), now));
                fenced++;
            }
        }
        lapsedLastPass.clear();
        lapsedLastPass.putAll(lapsedNow);
        return fenced;
    }

    private Pass takeOver(Owner from, List<String> txIds, boolean atStart) {
        Owner self = membership.get();
        Instant lastRenewed = registry.find(from.node())
                .filter(lease -> lease.epoch() == from.epoch())
                .map(NodeLease::renewedAt)
                .orElse(null);
        Instant now = clock.instant();
        Takeover takeover = new Takeover(UUID.randomUUID().toString(), from, self, lastRenewed, now);
        List<TransactionRecord> taken = transactionLog.takeOver(takeover, txIds);
        if (taken.isEmpty()) {
            return new Pass(0, 0, 0, 0, 0);
        }
        metrics.tookOver(taken.size());
        log.warn("took over {} unfinished transaction(s) of {} (takeover {})", taken.size(), from, takeover.id());
        // Our own earlier epoch: this node restarted (or lost its lease). Anyone else's: that node died or was cut off.
        AbortReason reason = from.node().equals(self.node())
                ? AbortReason.COORDINATOR_RESTARTED
                : AbortReason.COORDINATOR_TAKEN_OVER;
        int aborted = 0;
        int onePhaseCount = 0;
        int redelivering = 0;
        for (TransactionRecord record : taken) {
            if (record.state() != TxState.PREPARING) {
                redelivering += transactionLog.makeDeliveriesDue(record.txId(), now);
            } else if (record.transfer().isOnePhase()) {
                // Its bank decides, and may have committed: ask it now (an ABORT it refuses if it committed), off this
                // thread. If it does not answer, the OrphanSweeper asks again later.
                onePhaseCount++;
                String bank = record.transfer().banks().get(0);
                protocolExecutor.execute(() -> onePhase.resolve(record.txId(), bank, reason));
            } else if (transactionLog.logDecision(record.txId(), Decision.ABORT, reason, Map.of(), now, now)) {
                // No ballots are known here: every bank gets the abort, in case it prepared.
                log.info("tx={} taken over undecided from {}: ABORT logged", record.txId(), from);
                transferMetrics.decided(Decision.ABORT, reason);
                aborted++;
                if (atStart) {
                    crashPoints.reach(CoordinatorCrashPoints.DURING_RECOVERY, record.txId());
                }
            }
        }
        return new Pass(0, taken.size(), aborted, onePhaseCount, redelivering);
    }

    /** This node's takeovers whose transactions have all ended: their time from death to finish is measured. */
    void finishTakeovers() {
        for (TakeoverRecords.Finished finished :
                records.finishEnded(membership.get().node())) {
            if (finished.lastRenewedAt() != null) {
                java.time.Duration took = java.time.Duration.between(finished.lastRenewedAt(), finished.finishedAt());
                metrics.finished(took);
                log.info(
                        "takeover {} of {}: all its transactions ended, {} after that node's last renewal",
                        finished.id(),
                        finished.from(),
                        took);
            }
        }
    }
}
