package dev.twophase.coordinator.dashboard;

import java.time.Instant;
import java.util.List;

/** The operators' audit log. Append-only; an entry is durable when {@link #append} returns. */
public interface AuditLog {

    /** Records {@code entry} (its {@code id} is ignored) and returns it with the id it was given. */
    AuditEntry append(AuditEntry entry);

    /** The latest {@code limit} entries, newest first. */
    List<AuditEntry> latest(int limit);

    /** Every entry about {@code txId}, oldest first. */
    List<AuditEntry> forTransaction(String txId);

    /** Retention: deletes, durably, at most {@code limit} of the oldest entries made before {@code before}. @return how many */
    int retireBefore(Instant before, int limit);
}
