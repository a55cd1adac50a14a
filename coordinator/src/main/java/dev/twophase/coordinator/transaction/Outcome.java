package dev.twophase.coordinator.transaction;

import dev.twophase.protocol.AbortReason;
import dev.twophase.protocol.TransferStatus;
import java.time.Instant;
import java.util.Map;

/**
 * What the client is told about a transaction. {@code decided} is set when the thread that wrote the decision made
 * this outcome: what it wrote, so that the answer needs no read of the log.
 */
public record Outcome(String txId, TransferStatus status, AbortReason reason, Decided decided) {

    /** The decision as written: when, and each bank's ballot (a bank still voting then has none). */
    public record Decided(Instant at, Map<String, Ballot> ballots) {}

    public Outcome(String txId, TransferStatus status, AbortReason reason) {
        this(txId, status, reason, null);
    }
}
