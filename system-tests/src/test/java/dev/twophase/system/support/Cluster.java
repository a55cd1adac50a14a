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
 * The coordinator and two banks, bank-a and bank-b (or three, with bank-c, for multi-leg transactions), as real
 * processes on free ports, each with its own data directory under one temporary folder (kept after the run under
 * target/ for post-mortems). Timeouts and backoffs are short so that the tests run quickly; the protocol is the same.
 */
public final class Cluster implements AutoCloseable {

    public static final String BANK_A = "bank-a";
    public static final String BANK_B = "bank-b";
    /** The third bank, in clusters started with three banks ({@link ClusterTest#bankCount()}). */
    public static final String BANK_C = "bank-c";
    /** The coordinator's prepare timeout in these tests. */
    public static final int PREPARE_TIMEOUT_MS = 2000;

    /** The lease of each node of a coordinator cluster in these tests (the default is 5 s). */
    public static final java.time.Duration LEASE = java.time.Duration.ofSeconds(3);
    /** How often a node of a coordinator cluster renews its lease and looks for lapsed ones. */
    public static final java.time.Duration RENEWAL = java.time.Duration.ofMillis(500);
    /** How often the coordinator looks for decisions to redeliver, in these tests. */
    public static final java.time.Duration REDELIVERY_POLL = java.time.Duration.ofMillis(100);

    private final ServiceProcess coordinator;
    /** Every coordinator: one, or the nodes of a coordinator cluster sharing one database. */
    private final List<ServiceProcess> coordinators = new ArrayList<>();

    /** Every bank by id, bank-a first. */
    private final Map<String, ServiceProcess> banks = new LinkedHashMap<>();

    private final Api api;
    private final Credentials credentials;
    private final Store store;
    private final Map<String, Store.Placement> placements = new LinkedHashMap<>();

    private Cluster(
            Path root, String testName, List<String> argsForAll, Store store, int coordinatorCount, int bankCount) {
        this.store = store;
        List<String> bankIds = List.of(BANK_A, BANK_B, BANK_C).subList(0, bankCount);
        this.credentials = Credentials.fresh(bankIds);
        List<Integer> coordinatorPorts = new ArrayList<>();
        for (int i = 0; i < coordinatorCount; i++) {
            coordinatorPorts.add(freePort());
        }
        String coordinatorUrl = String.join(
                ",",
                coordinatorPorts.stream()
                        .map(port -> "http://localhost:" + port)
                        .toList());
        placements.put("coordinator", store.place(testName, "coordinator"));
        List<String> participantArgs = new ArrayList<>();
        for (String id : bankIds) {
            placements.put(id, store.place(testName, id));
            int port = freePort();
            banks.put(id, bank(root, id, port, coordinatorUrl, placed(id, argsForAll, credentials.bankArgs(id))));
            participantArgs.add("--twophase.participants." + id + "=http://localhost:" + port);
        }
        for (int i = 0; i < coordinatorCount; i++) {
            List<String> clusterArgs = coordinatorCount == 1
                    ? List.of()
                    : List.of(
                            "--twophase.node-id=coordinator-" + (i + 1),
                            "--twophase.cluster.lease-length=" + LEASE.toMillis() + "ms",
                            "--twophase.cluster.renewal-interval=" + RENEWAL.toMillis() + "ms");
            String name = i == 0 ? "coordinator" : "coordinator-" + (i + 1);
            coordinators.add(new ServiceProcess(
                    name,
                    jar("coordinator"),
                    coordinatorPorts.get(i),
                    root.resolve(name),
                    with(
                            // Every node of a coordinator cluster on the one database of the coordinator.
                            with(
                                    with(placed("coordinator", argsForAll, credentials.coordinatorArgs()), clusterArgs),
                                    participantArgs),
                            "--twophase.prepare-timeout=" + PREPARE_TIMEOUT_MS + "ms",
                            "--twophase.decision-timeout=2s",
                            "--twophase.redelivery.poll-interval=" + REDELIVERY_POLL.toMillis() + "ms",
                            "--twophase.redelivery.initial-backoff=200ms",
                            "--twophase.redelivery.max-backoff=1s")));
        }
        this.coordinator = coordinators.get(0);
        this.api = new Api(coordinator, banks, credentials);
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
        return start(testName, argsForAll, store, 1, 2);
    }

    /** The same with three banks, bank-a, bank-b and bank-c (for transactions of more than two banks). */
    public static Cluster startWithThreeBanks(String testName, List<String> argsForAll, Store store) {
        return start(testName, argsForAll, store, 1, 3);
    }

    /**
     * A coordinator cluster: two coordinator nodes (coordinator-1 and coordinator-2) sharing one PostgreSQL database,
     * with leases of {@link #LEASE}, and the two banks, which know both nodes. Waits until all four report UP.
     */
    public static Cluster startCoordinatorCluster(String testName, List<String> argsForAll) {
        return start(testName, argsForAll, Store.POSTGRESQL, 2, 2);
    }

    private static Cluster start(
            String testName, List<String> argsForAll, Store store, int coordinators, int bankCount) {
        Path root;
        try {
            Path target = Path.of(System.getProperty("twophase.root", ".."), "system-tests", "target", "clusters");
            Files.createDirectories(target);
            root = Files.createTempDirectory(target, testName + "-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Cluster cluster = new Cluster(root, testName, argsForAll, store, coordinators, bankCount);
        cluster.banks.values().forEach(ServiceProcess::startWithoutWaiting);
        cluster.coordinators.forEach(ServiceProcess::startWithoutWaiting);
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

    /** Every coordinator node (one, unless a coordinator cluster). */
    public List<ServiceProcess> coordinators() {
        return List.copyOf(coordinators);
    }

    /** The APIs as seen through {@code node}: any coordinator node serves any transfer. */
    public Api api(ServiceProcess node) {
        return new Api(node, banks, credentials);
    }

    public ServiceProcess bankA() {
        return banks.get(BANK_A);
    }

    public ServiceProcess bankB() {
        return banks.get(BANK_B);
    }

    public ServiceProcess bank(String id) {
        return banks.get(id);
    }

    /** Every bank's id, bank-a first. */
    public List<String> bankIds() {
        return List.copyOf(banks.keySet());
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
        List<ServiceProcess> all = new ArrayList<>(coordinators);
        all.addAll(banks.values());
        return all;
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

    static Path jar(String module) {
        Path jar = Path.of(System.getProperty("twophase.root", ".."), module, "target", module + ".jar")
                .toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run ./mvnw verify from the project root");
        }
        return jar;
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
