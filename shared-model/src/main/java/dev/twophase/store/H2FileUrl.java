package dev.twophase.store;

import java.nio.file.Path;

/** The JDBC URL of a service's embedded, file-backed H2 database. */
public final class H2FileUrl {

    private H2FileUrl() {}

    /**
     * H2's own {@code WRITE_DELAY} (500 ms) is kept, so its background thread keeps doing the file's housekeeping:
     * durability does not come from it but from {@link GroupCommit}, whose writer writes every batch out
     * ({@code CHECKPOINT}, or {@code CHECKPOINT SYNC} to force it) before anyone hears of it. Writes outside group
     * commit (schema migration at start-up) reach the file within 500 ms. {@code DB_CLOSE_ON_EXIT=FALSE} lets Spring close the pool before H2 closes the
     * database on shutdown. {@code LOCK_TIMEOUT}: how long a write waits for a row another transaction holds.
     * {@code QUERY_CACHE_SIZE}: parsed statements kept per connection; H2's default of 8 is fewer than the distinct
     * statements a service runs, so it re-parsed SQL on almost every call.
     */
    public static String of(Path dataDir, String name) {
        return "jdbc:h2:file:" + dataDir.toAbsolutePath().normalize().resolve(name)
                + ";LOCK_TIMEOUT=10000;DB_CLOSE_ON_EXIT=FALSE;QUERY_CACHE_SIZE=64";
    }
}
