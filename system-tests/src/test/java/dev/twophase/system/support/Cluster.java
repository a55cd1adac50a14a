package dev.twophase.system.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The coordinator and two banks, bank-a and bank-b, as real processes on free ports, each with its own data
 * directory under one temporary folder (kept after the run under target/ for post-mortems). Timeouts and backoffs
 * are short so that the tests run quickly; the protocol is the same.
 */
public final class Cluster implements AutoCloseable {

    public static final String BANK_A = "bank-a";
    public static final String BANK_B = "bank-b";
    /** The coordinator's prepare timeout in these tests. */
    public static final int PREPARE_TIMEOUT_MS = 2000;

    private final ServiceProcess coordinator;
    private final ServiceProcess bankA;
    private final ServiceProcess bankB;
    private final Api api;
    private final Credentials credentials = Credentials.fresh();
    private final Store store;
    private final Map<String, Store.Placement> placements = new LinkedHashMap<>();

    private Cluster(Path root, String testName, List<String> argsForAll, Store store) {
        this.store = store;
        int coordinatorPort = freePort();
        int bankAPort = freePort();
        int bankBPort = freePort();
        String coordinatorUrl = "http://localhost:" + coordinatorPort;
        for (String service : List.of("coordinator", BANK_A, BANK_B)) {
            placements.put(service, store.place(testName, service));
        }
        this.bankA =
                bank(root, BANK_A, bankAPort, coordinatorUrl, placed(BANK_A, argsForAll, credentials.bankArgs(BANK_A)));
        this.bankB =
                bank(root, BANK_B, bankBPort, coordinatorUrl, placed(BANK_B, argsForAll, credentials.bankArgs(BANK_B)));
        this.coordinator = new ServiceProcess(
                "coordinator",
                jar("coordinator"),
                coordinatorPort,
                root.resolve("coordinator"),
                with(
                        placed("coordinator", argsForAll, credentials.coordinatorArgs()),
                        "--twophase.participants.bank-a=http://localhost:" + bankAPort,
                        "--twophase.participants.bank-b=http://localhost:" + bankBPort,
                        "--twophase.prepare-timeout=" + PREPARE_TIMEOUT_MS + "ms",
                        "--twophase.decision-timeout=2s",
                        "--twophase.redelivery.poll-interval=100ms",
                        "--twophase.redelivery.initial-backoff=200ms",
                        "--twophase.redelivery.max-backoff=1s"));
        this.api = new Api(coordinator, bankA, bankB, credentials);
    }

    /** Starts all three and waits until each reports UP. */
    public static Cluster start(String testName) {
        return start(testName, List.of());
    }

    /** Starts all three, each with {@code argsForAll} added to its arguments, and waits until each reports UP. */
    public static Cluster start(String testName, List<String> argsForAll) {
        return start(testName, argsForAll, Store.H2);
    }

    /**
     * Starts all three on {@code store} (on PostgreSQL, each in a new database of its own, dropped when the cluster
     * closes), each with {@code argsForAll} added to its arguments, and waits until each reports UP.
     */
    public static Cluster start(String testName, List<String> argsForAll, Store store) {
        Path root;
        try {
            Path target = Path.of(System.getProperty("twophase.root", ".."), "system-tests", "target", "clusters");
            Files.createDirectories(target);
            root = Files.createTempDirectory(target, testName + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Cluster cluster = new Cluster(root, testName, argsForAll, store);
        cluster.bankA.startWithoutWaiting();
        cluster.bankB.startWithoutWaiting();
        cluster.coordinator.startWithoutWaiting();
        try {
            for (ServiceProcess service : cluster.all()) {
                service.awaitHealthy();
            }
        } catch (RuntimeException | Error failed) {
            cluster.close(); // a service that did not come up must not leave the others running
            throw failed;
        }
        return cluster;
    }

    public ServiceProcess coordinator() {
        return coordinator;
    }

    public ServiceProcess bankA() {
        return bankA;
    }

    public ServiceProcess bankB() {
        return bankB;
    }

    public ServiceProcess bank(String id) {
        return BANK_A.equals(id) ? bankA : bankB;
    }

    public Api api() {
        return api;
    }

    /** Where this cluster's services keep their state. */
    public Store store() {
        return store;
    }

    /** The PostgreSQL database of {@code service} (only on {@link Store#POSTGRESQL}). */
    public String database(ServiceProcess service) {
        String database = placements.get(service.name()).database();
        if (database == null) {
            throw new IllegalStateException(service.name() + " keeps its state in H2 files, not in PostgreSQL");
        }
        return database;
    }

    /** The secrets this cluster's processes were configured with. */
    public Credentials credentials() {
        return credentials;
    }

    public List<ServiceProcess> all() {
        return List.of(coordinator, bankA, bankB);
    }

    /** Restarts a process with the same data directory and, optionally, extra arguments such as a crash point. */
    public void restart(ServiceProcess service, String... extraArgs) {
        service.kill9();
        service.start(extraArgs);
    }

    /** Brings every process back to a plain, healthy start (after a test that killed or armed one). */
    public void heal() {
        for (ServiceProcess service : all()) {
            if (!service.isAlive() || service.isCustomised()) {
                service.kill9();
                service.startWithoutWaiting();
            }
        }
        for (ServiceProcess service : all()) {
            service.awaitHealthy();
        }
    }

    @Override
    public void close() {
        List<RuntimeException> failures = new ArrayList<>();
        for (ServiceProcess service : all()) {
            try {
                service.close();
            } catch (RuntimeException e) {
                failures.add(e);
            }
        }
        for (Store.Placement placement : placements.values()) {
            if (placement.database() != null) {
                try {
                    Postgres.dropDatabase(placement.database());
                } catch (RuntimeException e) {
                    failures.add(e);
                }
            }
        }
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
    }

    /** The argument that arms a crash point that freezes the process there (the test then kills it). */
    public static String crashAt(String point) {
        return "--twophase.crash.point=" + point;
    }

    /** The arguments that arm a crash point that halts the JVM on the spot, as a power cut would. */
    public static String[] haltAt(String point) {
        return new String[] {crashAt(point), "--twophase.crash.action=HALT"};
    }

    private static ServiceProcess bank(Path root, String id, int port, String coordinatorUrl, List<String> argsForAll) {
        return new ServiceProcess(
                id,
                jar("participant-bank"),
                port,
                root.resolve(id),
                with(
                        argsForAll,
                        "--twophase.bank-id=" + id,
                        "--twophase.coordinator-url=" + coordinatorUrl,
                        "--twophase.inquiry.after=2s",
                        "--twophase.inquiry.poll-interval=200ms",
                        "--twophase.inquiry.initial-backoff=200ms",
                        "--twophase.inquiry.max-backoff=1s"));
    }

    /** The service's arguments: where its store is, then those for every process, then its own. */
    private List<String> placed(String service, List<String> argsForAll, List<String> own) {
        return with(with(placements.get(service).args(), argsForAll), own);
    }

    private static List<String> with(List<String> first, List<String> then) {
        List<String> all = new ArrayList<>(first);
        all.addAll(then);
        return all;
    }

    private static List<String> with(List<String> argsForAll, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(argsForAll);
        return all;
    }

    private static Path jar(String module) {
        Path jar = Path.of(System.getProperty("twophase.root", ".."), module, "target", module + ".jar")
                .toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run ./mvnw verify from the project root");
        }
        return jar;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
