package dev.twophase.coordinator.log;

import java.util.Objects;

/**
 * Who may move a transaction: a coordinator node and the epoch of its lease (the fencing token). A node's epoch goes up
 * each time it joins the cluster (a start, or a rejoin after it lost its lease), so a node that was paused or cut off
 * past its lease, and whose transactions were taken over, holds a token that no row carries any more. Every write
 * that moves a transaction is conditional on the row's owner in SQL (src-docs/cluster.md, "Fencing").
 */
public record Owner(String node, long epoch) {

    /** The owner of rows logged before the coordinator had a cluster (V6): no node holds it, the first to start takes them. */
    public static final Owner NOBODY = new Owner("", 0);

    public Owner {
        Objects.requireNonNull(node, "node");
    }

    @Override
    public String toString() {
        return (node.isEmpty() ? "(nobody)" : node) + "#" + epoch;
    }
}
