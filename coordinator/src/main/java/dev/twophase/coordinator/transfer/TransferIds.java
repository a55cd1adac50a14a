package dev.twophase.coordinator.transfer;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * New transfer ids: UUIDs of version 7 (RFC 9562), whose leading 48 bits are the creation time in milliseconds.
 * Ids made close together sort close together, so the log's primary keys and indexes take new entries at their end
 * instead of in random pages; each group commit then rewrites a few pages instead of one per transaction (the store
 * writes, and the file grows, several times less than with random version-4 ids).
 */
public final class TransferIds {

    private static final SecureRandom RANDOM = new SecureRandom();

    private TransferIds() {}

    /**
     * The lowest id a transfer begun at {@code at} or later can have: every id made before {@code at} sorts below it
     * (the leading 48 bits, the first 12 hex digits of the text, are the time), so it bounds a scan of the oldest.
     */
    public static String lowestAt(Instant at) {
        long millis = at.toEpochMilli();
        return new UUID(millis << 16, 0).toString();
    }

    /** When the transfer {@code id} was begun, read from the id; empty for an id that is not one of these. */
    public static Optional<Instant> begunAt(String id) {
        try {
            UUID uuid = UUID.fromString(id);
            if (uuid.version() != 7 || !uuid.toString().equals(id)) {
                return Optional.empty();
            }
            return Optional.of(Instant.ofEpochMilli(uuid.getMostSignificantBits() >>> 16));
        } catch (IllegalArgumentException notAUuid) {
            return Optional.empty();
        }
    }

    static String next() {
        long millis = System.currentTimeMillis();
        // One call for all the random bits: SecureRandom.nextLong() asks the engine (synchronised, /dev/urandom mixed
        // through SHA-1) for 4 bytes at a time, so two of them were four trips where this is one.
        byte[] random = new byte[16];
        RANDOM.nextBytes(random);
        ByteBuffer bits = ByteBuffer.wrap(random);
        long randomHigh = bits.getLong();
        long randomLow = bits.getLong();
        long most = (millis << 16) | 0x7000L | (randomHigh & 0x0FFFL);
        long least = (randomLow & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(most, least).toString();
    }
}
