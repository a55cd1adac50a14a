package dev.twophase.store.jdbc;

import java.util.Collections;

/**
 * The placeholders of an SQL {@code IN} list: one statement for a whole batch of keys instead of one statement per
 * key (on H2 each statement is also a record in the redo journal; on PostgreSQL a round trip).
 */
public final class InList {

    private InList() {}

    /** {@code (?, ?, …)} with {@code count} placeholders; {@code count} must be at least 1. */
    public static String of(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("an IN list needs at least one value");
        }
        return "(" + String.join(", ", Collections.nCopies(count, "?")) + ")";
    }
}
