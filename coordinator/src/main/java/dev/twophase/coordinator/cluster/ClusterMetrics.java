package dev.twophase.coordinator.cluster;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * The cluster's meters on /actuator/prometheus: lease renewals (and failures, and leases lost), takeovers and the
 * transactions they moved, and the time from a node's death (its last renewal, by the database's clock) to the last of
 * its transactions finishing at the node that took them over.
 */
public class ClusterMetrics {

    private final MeterRegistry registry;
    private final Counter renewals;
    private final Counter renewalFailures;
    private final Counter leasesLost;
    private final Counter takeovers;
    private final Counter takenTransactions;
    private final Timer deathToFinished;

    public ClusterMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.renewals = Counter.builder("twophase.cluster.lease.renewals")
                .description("lease renewals that succeeded")
                .register(registry);
        this.renewalFailures = Counter.builder("twophase.cluster.lease.renewal.failures")
                .description("lease renewals that failed (the database could not be reached or written)")
                .register(registry);
        this.leasesLost = Counter.builder("twophase.cluster.lease.lost")
                .description("times this node found its lease fenced by another node and joined again")
                .register(registry);
        this.takeovers = Counter.builder("twophase.cluster.takeovers")
                .description("takeovers this node made of another owner's unfinished transactions")
                .register(registry);
        this.takenTransactions = Counter.builder("twophase.cluster.takeover.transactions")
                .description("transactions this node took over")
                .register(registry);
        this.deathToFinished = Timer.builder("twophase.cluster.takeover.finish")
                .description("from a node's last lease renewal to the last of its transactions ending at this node")
                .publishPercentileHistogram()
                .register(registry);
    }

    void joined(ClusterMembership membership) {
        Gauge.builder("twophase.cluster.lease.held", membership, m -> m.holdsLease() ? 1 : 0)
                .description("1 while this node holds its lease")
                .register(registry);
        Gauge.builder("twophase.cluster.epoch", membership, m -> m.get().epoch())
                .description("this node's lease epoch (its fencing token); goes up each time it joins")
                .register(registry);
    }

    void renewed() {
        renewals.increment();
    }

    void renewalFailed() {
        renewalFailures.increment();
    }

    void lost() {
        leasesLost.increment();
    }

    void tookOver(int transactions) {
        takeovers.increment();
        takenTransactions.increment(transactions);
    }

    void finished(Duration sinceDeath) {
        deathToFinished.record(sinceDeath);
    }
}
