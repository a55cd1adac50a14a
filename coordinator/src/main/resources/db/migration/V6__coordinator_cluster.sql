-- A coordinator cluster (src-docs/cluster.md): several coordinator processes on one PostgreSQL database. Each node
-- holds a lease in coordinator_nodes, renewed every second or so and judged by the database's clock only; each
-- transaction is owned by one node at one epoch of its lease, and every write that moves it is conditional on that
-- owner (the fencing token). An embedded H2 store is a cluster of one node.

-- One row per node id. epoch: goes up each time the node joins (a start, or a rejoin after its lease was fenced).
-- renewals counts renewals, so that fencing a lapsed lease is a compare-and-set on exactly the renewal that was judged
-- lapsed. fenced_at/fenced_by: a node whose lease ran out and that another node fenced; its renewal then fails and its
-- transactions are taken over. host/pid: where the epoch runs, so that a restart on the same host can tell a dead
-- predecessor from a live one without waiting for its lease to run out.
CREATE TABLE coordinator_nodes (
    node_id      VARCHAR(64)              NOT NULL PRIMARY KEY,
    epoch        BIGINT                   NOT NULL,
    lease_millis BIGINT                   NOT NULL,
    started_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    renewed_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    renewals     BIGINT                   NOT NULL,
    host         VARCHAR(255),
    pid          BIGINT,
    fenced_at    TIMESTAMP WITH TIME ZONE,
    fenced_by    VARCHAR(64)
);

-- The owner of each transaction: the node that began it, at its epoch, or the node that took it over. Transactions
-- logged before this migration belong to nobody (''), so the first node to start takes the unfinished ones over.
ALTER TABLE transactions ADD COLUMN owner_node VARCHAR(64) DEFAULT '' NOT NULL;
ALTER TABLE transactions ADD COLUMN owner_epoch BIGINT DEFAULT 0 NOT NULL;

-- Every takeover: whose transactions (node_id at epoch), its last renewal as the database saw it, who took them,
-- how many, and when the last of them ended (for the dashboard and the metric of time to finish a dead node's work).
CREATE TABLE takeovers (
    id              VARCHAR(64)              NOT NULL PRIMARY KEY,
    node_id         VARCHAR(64)              NOT NULL,
    epoch           BIGINT                   NOT NULL,
    last_renewed_at TIMESTAMP WITH TIME ZONE,
    by_node         VARCHAR(64)              NOT NULL,
    by_epoch        BIGINT                   NOT NULL,
    taken_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    transactions    INT                      NOT NULL,
    finished_at     TIMESTAMP WITH TIME ZONE
);

-- Each transaction a takeover moved, for its timeline. Deleted with the transaction (retention).
CREATE TABLE owner_changes (
    tx_id       VARCHAR(64)              NOT NULL,
    takeover_id VARCHAR(64)              NOT NULL,
    from_node   VARCHAR(64)              NOT NULL,
    from_epoch  BIGINT                   NOT NULL,
    to_node     VARCHAR(64)              NOT NULL,
    to_epoch    BIGINT                   NOT NULL,
    changed_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX owner_changes_by_tx ON owner_changes (tx_id);
CREATE INDEX owner_changes_by_takeover ON owner_changes (takeover_id);
