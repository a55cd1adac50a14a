package dev.twophase.coordinator.log;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The log writer's memory of the rows it wrote last: each transaction still in progress, as written and at which
 * version. A write works out the new row from here instead of reading it first (a read was a fifth of the writer's
 * time). It is only a hint: every write is guarded by the version it started from ({@link TransactionRows#UPDATE}),
 * so a row remembered from a batch that failed afterwards (the database then holds an older version) is caught, read
 * again and the write redone on what the database holds. Used by the writer thread only.
 */
final class WrittenRows {

    /** A row as written, and its version. */
    record Written(TransactionRecord record, int version) {}

    private final Map<String, Written> rows;

    /** @param capacity most rows remembered; past it, the longest unused goes (and is read again if written) */
    WrittenRows(int capacity) {
        this.rows = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Written> eldest) {
                return size() > capacity;
            }
        };
    }

    Written get(String txId) {
        return rows.get(txId);
    }

    /** Remembers {@code record} as written at {@code version}; an ended transaction is written no more and is let go. */
    void wrote(TransactionRecord record, int version) {
        if (record.state().isEnded()) {
            rows.remove(record.txId());
        } else {
            rows.put(record.txId(), new Written(record, version));
        }
    }

    void forget(String txId) {
        rows.remove(txId);
    }
}
