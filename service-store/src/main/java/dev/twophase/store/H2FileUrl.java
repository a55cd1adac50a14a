package dev.twophase.store;

import java.nio.file.Path;

/** The JDBC URL of a service's embedded, file-backed H2 database. */
public final class H2FileUrl {

    private H2FileUrl() {}

    /**
     * {@code WRITE_DELAY=10000}: H2 writes its file out on its own only after 10 s without a write-out. Durability does
     * not come from it but from each store's redo journal ({@code JournaledJdbcStore}), and the store's writer has H2
     * write the file out every 100 ms between two batches: never in the middle of one, because after a kill -9 H2 does
     * not reliably undo a transaction that was open when its file was written. H2's background thread still does the
     * file's housekeeping. {@code DB_CLOSE_ON_EXIT=FALSE} lets Spring close the pool before H2 closes the
     * database on shutdown. {@code LOCK_TIMEOUT}: how long a write waits for a row another transaction holds.
     * {@code QUERY_CACHE_SIZE}: parsed statements kept per connection; H2's default of 8 is fewer than the distinct
     * statements a service runs, so it re-parsed SQL on almost every call.
     */
    public static String of(Path dataDir, String name) {
        return "jdbc:h2:file:" + dataDir.toAbsolutePath().normalize().resolve(name)
                + ";WRITE_DELAY=10000;LOCK_TIMEOUT=10000;DB_CLOSE_ON_EXIT=FALSE;QUERY_CACHE_SIZE=64";
    }
}
