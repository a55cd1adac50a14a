package dev.twophase.store.retention;

import java.time.Duration;

/**
 * {@code twophase.retention.*}: what has ended is deleted once older than {@code period}; every {@code interval} the
 * job deletes at most {@code maxBatchesPerRun} batches of {@code batchSize} rows, each batch one write of the store's
 * writer (so the deletes never hold the writer for long). {@code auditLog}: how long the coordinator keeps its audit log
 * ({@code null}: for ever).
 */
public record RetentionSettings(
        Duration period, Duration interval, int batchSize, int maxBatchesPerRun, Duration auditLog) {

    /** A shorter period could delete what a message still on its way (within the signature window) refers to. */
    public static final Duration SHORTEST_PERIOD = Duration.ofMinutes(1);

    public RetentionSettings {
        if (period == null || period.compareTo(SHORTEST_PERIOD) < 0) {
            throw new IllegalArgumentException("twophase.retention.period must be at least " + SHORTEST_PERIOD
                    + " (longer than any protocol message may travel); got " + period);
        }
        if (auditLog != null && auditLog.compareTo(SHORTEST_PERIOD) < 0) {
            throw new IllegalArgumentException(
                    "twophase.retention.audit-log must be at least " + SHORTEST_PERIOD + " or unset (for ever)");
        }
        if (batchSize < 1 || maxBatchesPerRun < 1) {
            throw new IllegalArgumentException("twophase.retention.batch-size and .max-batches-per-run must be >= 1");
        }
    }
}
