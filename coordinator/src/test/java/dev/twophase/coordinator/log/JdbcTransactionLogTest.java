package dev.twophase.coordinator.log;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The JDBC log on a real H2 file with the production settings and the Flyway schema. */
class JdbcTransactionLogTest extends TransactionLogContract {

    @TempDir
    Path dataDir;

    private H2TransactionLogs store;

    @Override
    TransactionLog open() {
        store = new H2TransactionLogs(dataDir);
        return store.log();
    }

    @Override
    void close() {
        if (store != null) {
            store.close();
        }
    }
}
