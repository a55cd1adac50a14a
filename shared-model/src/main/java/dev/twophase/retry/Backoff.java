package dev.twophase.retry;

import java.time.Duration;
import java.util.Objects;

/**
 * Capped exponential backoff: attempt 1 waits {@code initial}, each later attempt twice the one before,
 * never more than {@code max}. Pure and deterministic so that schedules can be unit-tested.
 */
public record Backoff(Duration initial, Duration max) {

    public Backoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("initial backoff must be positive, was " + initial);
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("max backoff " + max + " is below initial " + initial);
        }
    }

    /** The wait before the given retry; {@code attempt} counts failures so far and starts at 1. */
    public Duration delayAfter(int attempt) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt starts at 1, was " + attempt);
        }
        // Shift at most 30 places: beyond that the cap applies anyway and the long would overflow.
        long factor = 1L << Math.min(attempt - 1, 30);
        long millis = initial.toMillis() > max.toMillis() / factor ? max.toMillis() : initial.toMillis() * factor;
        return Duration.ofMillis(Math.min(millis, max.toMillis()));
    }
}
