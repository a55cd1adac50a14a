package dev.twophase.system.support;

import java.util.List;

/** Where the services of a test cluster keep their state; tests that prove a guarantee run on each. */
public enum Store {
    /** The default: embedded H2 files under each service's data directory, made durable by the redo journal. */
    H2,
    /** A PostgreSQL database of each service's own on the machine's server, created for the cluster, dropped after. */
    POSTGRESQL;

    /** Creates what the service needs on this store and returns its arguments ({@code null} database on H2). */
    Placement place(String testName, String service) {
        if (this == H2) {
            return new Placement(null, List.of());
        }
        String database = Postgres.createDatabase(testName + "_" + service);
        return new Placement(database, Postgres.serviceArgs(database));
    }

    /** A service's database on this store (none on H2) and the arguments that point it there. */
    record Placement(String database, List<String> args) {}
}
