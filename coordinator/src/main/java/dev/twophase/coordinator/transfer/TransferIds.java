package dev.twophase.coordinator.transfer;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * New transfer ids: UUIDs of version 7 (RFC 9562), whose leading 48 bits are the creation time in milliseconds.
 * Ids made close together sort close together, so the log's primary keys and indexes take new entries at their end
 * instead of in random pages; each group commit then rewrites a few pages instead of one per transaction (the store
 * writes, and the file grows, several times less than with random version-4 ids).
 */
final class TransferIds {

    private static final SecureRandom RANDOM = new SecureRandom();

    private TransferIds() {}

    static String next() {
        long millis = System.currentTimeMillis();
        long randomHigh = RANDOM.nextLong();
        long randomLow = RANDOM.nextLong();
        long most = (millis << 16) | 0x7000L | (randomHigh & 0x0FFFL);
        long least = (randomLow & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(most, least).toString();
    }
}
