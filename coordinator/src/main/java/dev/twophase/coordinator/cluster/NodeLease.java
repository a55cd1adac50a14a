package dev.twophase.coordinator.cluster;

import dev.twophase.coordinator.log.Owner;
import java.time.Duration;
import java.time.Instant;

/**
 * One row of {@code coordinator_nodes}: a node's lease as the shared database holds it. Every time in it is the
 * database's clock, and so is the {@code now} it is judged against: no two machines' clocks are ever compared.
 */
public record NodeLease(
        String nodeId,
        long epoch,
        Duration leaseLength,
        Instant startedAt,
        Instant renewedAt,
        long renewals,
        String host,
        Long pid,
        Instant fencedAt,
        String fencedBy) {

    public Owner owner() {
        return new Owner(nodeId, epoch);
    }

    /** Renewed within its lease length before {@code databaseNow}, and not fenced. */
    public boolean isHeld(Instant databaseNow) {
        return fencedAt == null && !renewedAt.plus(leaseLength).isBefore(databaseNow);
    }

    /** Ran out (not renewed for its lease length) and nobody has fenced it yet: a takeover is due. */
    public boolean hasLapsed(Instant databaseNow) {
        return fencedAt == null && renewedAt.plus(leaseLength).isBefore(databaseNow);
    }
}
