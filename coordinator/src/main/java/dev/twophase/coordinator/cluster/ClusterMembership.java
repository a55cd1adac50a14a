package dev.twophase.coordinator.cluster;

import dev.twophase.coordinator.config.CoordinatorProperties;
import dev.twophase.coordinator.log.Owner;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;

/**
 * This node's place in the cluster: its id, the epoch of its lease (the fencing token every transaction it begins
 * carries, {@link Owner}) and the lease itself, renewed on a thread of its own.
 *
 * <p>Joining: a node id seen for the first time joins at epoch 1. A known id is joined again under the next epoch once
 * its lease is free: fenced, lapsed by the database's clock, or held by a process known to be dead (same host, its pid
 * gone: a restart after kill -9 need not wait out its own lease). A lease that is renewed while this node waits belongs
 * to a live process: two nodes started with one id, and the second refuses to start.
 *
 * <p>Losing the lease: when a renewal finds the lease fenced (this node was paused or cut off past its lease, and
 * another node took its transactions over), the node joins again under a new epoch. Every write it still had in flight
 * for its old transactions is refused by the log (they carry the old owner), so it stops acting on them.
 */
public class ClusterMembership implements Supplier<Owner>, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClusterMembership.class);

    private final NodeRegistry registry;
    private final String nodeId;
    private final Duration leaseLength;
    private final Duration renewalInterval;
    /** True when no other process can use the store (embedded H2 holds a file lock): no lease can be held elsewhere. */
    private final boolean exclusiveStore;

    private final ClusterMetrics metrics;
    private final String host = localHost();
    private final long pid = ProcessHandle.current().pid();
    private final ScheduledExecutorService renewer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "lease-renewal");
        thread.setDaemon(true);
        return thread;
    });

    private final LongSupplier ticker;
    private volatile Owner current;
    /** The ticker's time when the last successful renewal was sent: the lease surely lasts lease-length from there. */
    private volatile long renewedNanos;

    ClusterMembership(
            NodeRegistry registry, CoordinatorProperties properties, boolean exclusiveStore, ClusterMetrics metrics) {
        this(registry, properties, exclusiveStore, metrics, System::nanoTime);
    }

    /** @param ticker this process's monotonic clock, in nanoseconds ({@code System::nanoTime}) */
    ClusterMembership(
            NodeRegistry registry,
            CoordinatorProperties properties,
            boolean exclusiveStore,
            ClusterMetrics metrics,
            LongSupplier ticker) {
        this.ticker = ticker;
        this.registry = registry;
        this.nodeId = requireNodeId(properties.nodeId());
        this.leaseLength = properties.cluster().leaseLength();
        this.renewalInterval = properties.cluster().renewalInterval();
        this.exclusiveStore = exclusiveStore;
        this.metrics = metrics;
    }

    private static String requireNodeId(String nodeId) {
        if (nodeId == null || nodeId.isBlank() || nodeId.length() > 64) {
            throw new IllegalArgumentException("twophase.node-id must be 1 to 64 characters, got '" + nodeId + "'");
        }
        return nodeId.trim();
    }

    /** This node's fencing token. @throws IllegalStateException before {@link #join} */
    @Override
    public Owner get() {
        Owner owner = current;
        if (owner == null) {
            throw new IllegalStateException("node " + nodeId + " has not joined the cluster yet");
        }
        return owner;
    }

    public String nodeId() {
        return nodeId;
    }

    public Duration leaseLength() {
        return leaseLength;
    }

    public Duration renewalInterval() {
        return renewalInterval;
    }

    /**
     * Whether this node may still count on its lease: renewed less than a lease length ago by its own monotonic clock
     * (measured from before the renewal was sent, so never longer than the database's view). A node that cannot renew
     * (cut off from the database) stops taking new transfers once this is false.
     */
    public boolean holdsLease() {
        return current != null && ticker.getAsLong() - renewedNanos < leaseLength.toNanos();
    }

    /** Joins the cluster (before recovery, before the web server opens) and starts renewing the lease. */
    public void join() {
        long sent = ticker.getAsLong();
        current = claim();
        renewedNanos = sent;
        metrics.joined(this);
        log.info(
                "node {} joined the cluster at epoch {} (lease {}, renewed every {})",
                nodeId,
                current.epoch(),
                leaseLength,
                renewalInterval);
        renewer.scheduleWithFixedDelay(
                this::renew, renewalInterval.toMillis(), renewalInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Takes this node id's lease under a new epoch; waits while a predecessor's lease runs out. */
    private Owner claim() {
        Instant giveUpAt = null;
        Long seenRenewals = null;
        while (true) {
            Optional<NodeLease> found = registry.find(nodeId);
            if (found.isEmpty()) {
                if (registry.insert(nodeId, leaseLength, host, pid)) {
                    return new Owner(nodeId, 1);
                }
                continue;
            }
            NodeLease lease = found.get();
            Instant now = registry.databaseNow();
            if (lease.fencedAt() != null || lease.hasLapsed(now) || exclusiveStore || isDeadHereBefore(lease)) {
                if (registry.rejoin(lease, leaseLength, host, pid)) {
                    return new Owner(nodeId, lease.epoch() + 1);
                }
                continue;
            }
            if (seenRenewals != null && lease.renewals() != seenRenewals) {
                throw new IllegalStateException("node id " + nodeId + " is held by a live coordinator (host "
                        + lease.host() + ", pid " + lease.pid() + ", epoch " + lease.epoch()
                        + "): it renewed its lease at " + lease.renewedAt()
                        + ". Give each node of the cluster its own twophase.node-id.");
            }
            if (seenRenewals == null) {
                seenRenewals = lease.renewals();
                giveUpAt = now.plus(leaseLength.multipliedBy(2));
                log.info(
                        "node id {} is leased until about {} by host {} pid {}; waiting for that lease to run out",
                        nodeId,
                        lease.renewedAt().plus(lease.leaseLength()),
                        lease.host(),
                        lease.pid());
            } else if (now.isAfter(giveUpAt)) {
                throw new IllegalStateException("node id " + nodeId + "'s lease did not run out: " + lease);
            }
            pause(renewalInterval);
        }
    }

    /** The lease was taken by a process on this host that no longer runs: it can renew nothing. */
    private boolean isDeadHereBefore(NodeLease lease) {
        return Objects.equals(lease.host(), host)
                && lease.pid() != null
                && lease.pid() != pid
                && ProcessHandle.of(lease.pid())
                        .map(process -> !process.isAlive())
                        .orElse(true);
    }

    /** One renewal (the renewal thread's tick). */
    void renew() {
        Owner self = current;
        long sent = ticker.getAsLong();
        try {
            if (registry.renew(self)) {
                renewedNanos = sent;
                metrics.renewed();
                return;
            }
            // Fenced: another node judged our lease lapsed (we were paused, or cut off from the database) and has
            // taken,
            // or is taking, our transactions over. Join again under a new epoch; the old one's writes are refused.
            metrics.lost();
            Owner next = claim();
            current = next;
            renewedNanos = sent;
            log.warn(
                    "node {} lost its lease at epoch {} (another node fenced it and took its transactions over); "
                            + "joined again at epoch {}",
                    nodeId,
                    self.epoch(),
                    next.epoch());
        } catch (DataAccessException | IllegalStateException e) {
            metrics.renewalFailed();
            log.warn(
                    "node {} could not renew its lease{}: {}",
                    nodeId,
                    holdsLease() ? "" : " (lease lapsed: no new transfers until it is renewed)",
                    e.toString());
        } catch (RuntimeException e) {
            metrics.renewalFailed();
            log.error("node {} lease renewal failed", nodeId, e);
        }
    }

    /** A clean stop releases the lease: the other nodes take over what is left at once, a restart need not wait. */
    @Override
    public void close() {
        renewer.shutdownNow();
        Owner self = current;
        if (self == null) {
            return;
        }
        try {
            registry.release(self);
            log.info("node {} released its lease (epoch {})", nodeId, self.epoch());
        } catch (RuntimeException e) {
            log.warn("node {} could not release its lease; it lapses in {}: {}", nodeId, leaseLength, e.toString());
        }
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a lease", e);
        }
    }

    private static String localHost() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }
}
