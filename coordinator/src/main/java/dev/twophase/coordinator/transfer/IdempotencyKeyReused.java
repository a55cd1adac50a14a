package dev.twophase.coordinator.transfer;

/** An Idempotency-Key sent again with a different transfer. */
public class IdempotencyKeyReused extends RuntimeException {

    public IdempotencyKeyReused(String key) {
        super("Idempotency-Key '" + key + "' was already used for a different transfer");
    }
}
