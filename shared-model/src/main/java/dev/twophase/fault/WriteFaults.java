package dev.twophase.fault;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Test-only storage faults for a log: the first {@code n} writes of a kind fail, as a full disk or a broken file
 * would, and writes of a kind can be made slow. Kinds are given by name, in lower case, as in configuration
 * ({@code twophase.fault.log-write-failures.decision=1}, {@code twophase.fault.log-write-delays.decision=2s}).
 */
public final class WriteFaults<K extends Enum<K>> {

    private final Map<K, AtomicInteger> failuresLeft;
    private final Map<K, Duration> delays;
    private final Function<String, RuntimeException> failure;

    /**
     * @param failure makes the exception a failed write throws, from a message naming the write and transaction
     */
    public WriteFaults(
            Class<K> kinds,
            Map<String, Integer> failures,
            Map<String, Duration> delays,
            Function<String, RuntimeException> failure) {
        this.failuresLeft = new EnumMap<>(kinds);
        this.delays = new EnumMap<>(kinds);
        failures.forEach((name, count) -> failuresLeft.put(kind(kinds, name), new AtomicInteger(count)));
        delays.forEach((name, delay) -> this.delays.put(kind(kinds, name), delay));
        this.failure = failure;
    }

    public boolean isEmpty() {
        return failuresLeft.isEmpty() && delays.isEmpty();
    }

    /** Called before each write: waits the configured delay, then fails if a failure of this kind is still due. */
    public void beforeWrite(K kind, String txId) {
        Duration delay = delays.get(kind);
        if (delay != null) {
            slowDown(delay);
        }
        AtomicInteger left = failuresLeft.get(kind);
        if (left != null && left.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw failure.apply("injected failure writing " + kind + " for tx=" + txId);
        }
    }

    private static <K extends Enum<K>> K kind(Class<K> kinds, String name) {
        return Enum.valueOf(kinds, name.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    /** The slow disk is the fault being injected: this wait is the point, not a stand-in for synchronisation. */
    private static void slowDown(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
