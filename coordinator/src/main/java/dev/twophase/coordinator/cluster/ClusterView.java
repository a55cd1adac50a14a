package dev.twophase.coordinator.cluster;

import dev.twophase.coordinator.log.Owner;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The dashboard's Cluster panel: every node, its lease as the shared database sees it (held or lapsed, judged by the
 * database's clock), how many unfinished transactions it owns, and the latest takeovers.
 */
public class ClusterView {

    private static final int TAKEOVERS_SHOWN = 20;

    /** One node: {@code held} false once its lease lapsed or was fenced; {@code inFlight} counts its current epoch's. */
    public record Node(
            String nodeId,
            long epoch,
            boolean held,
            boolean self,
            Instant renewedAt,
            Instant startedAt,
            long leaseMillis,
            Instant fencedAt,
            String fencedBy,
            String host,
            Long pid,
            int inFlight) {}

    /**
     * The whole panel; {@code unownedInFlight} counts unfinished transactions whose owner holds no lease (about to be
     * taken over).
     */
    public record Snapshot(
            String self,
            Instant databaseNow,
            List<Node> nodes,
            int unownedInFlight,
            List<TakeoverRecords.TakeoverView> takeovers) {}

    private final NodeRegistry registry;
    private final TakeoverRecords records;
    private final ClusterMembership membership;

    ClusterView(NodeRegistry registry, TakeoverRecords records, ClusterMembership membership) {
        this.registry = registry;
        this.records = records;
        this.membership = membership;
    }

    public Snapshot now() {
        Instant now = registry.databaseNow();
        Map<Owner, Integer> inFlight = records.inFlightByOwner();
        List<NodeLease> leases = registry.all();
        List<Node> nodes = leases.stream()
                .map(lease -> new Node(
                        lease.nodeId(),
                        lease.epoch(),
                        lease.isHeld(now),
                        lease.nodeId().equals(membership.nodeId()),
                        lease.renewedAt(),
                        lease.startedAt(),
                        lease.leaseLength().toMillis(),
                        lease.fencedAt(),
                        lease.fencedBy(),
                        lease.host(),
                        lease.pid(),
                        inFlight.getOrDefault(lease.owner(), 0)))
                .toList();
        int unowned = inFlight.entrySet().stream()
                .filter(entry -> leases.stream()
                        .noneMatch(lease -> lease.owner().equals(entry.getKey()) && lease.fencedAt() == null))
                .mapToInt(Map.Entry::getValue)
                .sum();
        return new Snapshot(membership.nodeId(), now, nodes, unowned, records.recent(TAKEOVERS_SHOWN));
    }
}
