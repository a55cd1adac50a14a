package dev.twophase.system.support;

import java.time.Instant;
import tools.jackson.databind.JsonNode;

/**
 * Reads a coordinator's {@code GET /api/ops/cluster} answer ({@link Api#opsCluster()}): each node's lease and the
 * takeovers of its transactions, as the cluster tests and the takeover benchmark look at them.
 */
public final class ClusterViews {

    private ClusterViews() {}

    /** Node {@code nodeId}'s entry; fails if the view has none. */
    public static JsonNode node(JsonNode view, String nodeId) {
        for (JsonNode node : view.get("nodes")) {
            if (node.get("nodeId").asString().equals(nodeId)) {
                return node;
            }
        }
        throw new AssertionError("no node " + nodeId + " in " + view);
    }

    /**
     * Node {@code nodeId}'s lease is fenced, nothing unfinished is owned by it or by nobody, and every takeover of its
     * transactions has finished (all of them ended).
     */
    public static boolean nothingLeftOf(JsonNode view, String nodeId) {
        JsonNode node = node(view, nodeId);
        if (isNull(node.get("fencedAt"))
                || node.get("inFlight").asInt() != 0
                || view.get("unownedInFlight").asInt() != 0) {
            return false;
        }
        for (JsonNode takeover : view.get("takeovers")) {
            if (from(takeover, nodeId) && isNull(takeover.get("finishedAt"))) {
                return false;
            }
        }
        return true;
    }

    /**
     * When the last transaction taken from {@code nodeId} under {@code epoch} ended; the fencing of its lease if it had
     * none in flight. Call once {@link #nothingLeftOf} holds.
     */
    public static Instant lastFinished(JsonNode view, String nodeId, long epoch) {
        Instant last = Instant.parse(node(view, nodeId).get("fencedAt").asString());
        for (JsonNode takeover : view.get("takeovers")) {
            if (from(takeover, nodeId) && takeover.get("from").get("epoch").asLong() == epoch) {
                Instant finished = Instant.parse(takeover.get("finishedAt").asString());
                last = finished.isAfter(last) ? finished : last;
            }
        }
        return last;
    }

    /** How many transactions were taken from {@code nodeId} under {@code epoch}. */
    public static int takenOver(JsonNode view, String nodeId, long epoch) {
        int transactions = 0;
        for (JsonNode takeover : view.get("takeovers")) {
            if (from(takeover, nodeId) && takeover.get("from").get("epoch").asLong() == epoch) {
                transactions += takeover.get("transactions").asInt();
            }
        }
        return transactions;
    }

    private static boolean from(JsonNode takeover, String nodeId) {
        return takeover.get("from").get("node").asString().equals(nodeId);
    }

    private static boolean isNull(JsonNode value) {
        return value == null || value.isNull();
    }
}
