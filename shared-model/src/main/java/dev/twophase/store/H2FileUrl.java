package dev.twophase.store;

import java.nio.file.Path;

/** The JDBC URL of a service's embedded, file-backed H2 database, set up so that a commit survives kill -9. */
public final class H2FileUrl {

    private H2FileUrl() {}

    /**
     * {@code WRITE_DELAY=0}: every commit is written to the file before it returns (H2's default keeps up to 500 ms
     * of commits in memory), so a kill -9 right after a commit loses nothing; it does not fsync, so a power cut can
     * (see src-docs/durability.md). {@code DB_CLOSE_ON_EXIT=FALSE} lets Spring close the pool before H2 closes the
     * database on shutdown. {@code LOCK_TIMEOUT}: how long a write waits for a row another transaction holds.
     * {@code QUERY_CACHE_SIZE}: parsed statements kept per connection; H2's default of 8 is fewer than the distinct
     * statements a service runs, so it re-parsed SQL on almost every call.
     */
    public static String of(Path dataDir, String name) {
        return "jdbc:h2:file:" + dataDir.toAbsolutePath().normalize().resolve(name)
                + ";WRITE_DELAY=0;LOCK_TIMEOUT=10000;DB_CLOSE_ON_EXIT=FALSE;QUERY_CACHE_SIZE=64";
    }
}
