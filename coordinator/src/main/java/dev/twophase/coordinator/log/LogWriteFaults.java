package dev.twophase.coordinator.log;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.dao.DataAccessResourceFailureException;

/**
 * Test-only storage faults: the first {@code n} writes of a kind fail as a full disk or a broken file would.
 * Configured by {@code twophase.fault.log-write-failures.<kind>=<n>}; kinds are {@link Kind} in lower case.
 */
public final class LogWriteFaults {

    /** The log writes that can be made to fail. */
    public enum Kind {
        BEGIN,
        DECISION,
        ACKNOWLEDGEMENT
    }

    private final Map<Kind, AtomicInteger> remaining = new ConcurrentHashMap<>();

    public LogWriteFaults(Map<String, Integer> failures) {
        failures.forEach((kind, count) -> remaining.put(Kind.valueOf(kind.toUpperCase()), new AtomicInteger(count)));
    }

    /** @throws DataAccessResourceFailureException if a failure of this kind is still due */
    void beforeWrite(Kind kind, String txId) {
        AtomicInteger left = remaining.get(kind);
        if (left != null && left.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new DataAccessResourceFailureException("injected failure writing " + kind + " for tx=" + txId);
        }
    }
}
