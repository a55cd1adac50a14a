package dev.twophase.system.support;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One bank, as a real process, with no coordinator of this project in front of it: for tests that play the
 * coordinator themselves (the conformance kit). Its state lives on {@code store}; closing it stops the process and
 * drops its database.
 */
public final class LoneBank implements AutoCloseable {

    private final ServiceProcess process;
    private final Store.Placement placement;

    private LoneBank(ServiceProcess process, Store.Placement placement) {
        this.process = process;
        this.placement = placement;
    }

    /**
     * Starts bank {@code bankId} on a free port with {@code protocolSecret}, asking {@code coordinatorUrl} about a
     * transaction left prepared for a second (then every 200 ms to 1 s), and waits until it is UP.
     */
    public static LoneBank start(
            String testName, Path root, Store store, String bankId, String protocolSecret, String coordinatorUrl) {
        Store.Placement placement = store.place(testName, bankId);
        List<String> args = new ArrayList<>(placement.args());
        args.addAll(List.of(
                "--twophase.bank-id=" + bankId,
                "--twophase.security.protocol-secret=" + protocolSecret,
                "--twophase.coordinator-url=" + coordinatorUrl,
                "--twophase.inquiry.after=1s",
                "--twophase.inquiry.poll-interval=200ms",
                "--twophase.inquiry.initial-backoff=200ms",
                "--twophase.inquiry.max-backoff=1s"));
        ServiceProcess process = new ServiceProcess(
                bankId, Cluster.jar("participant-bank"), Cluster.freePort(), root.resolve(bankId), args);
        LoneBank bank = new LoneBank(process, placement);
        process.start();
        return bank;
    }

    public ServiceProcess process() {
        return process;
    }

    @Override
    public void close() {
        try {
            process.close();
        } finally {
            if (placement.database() != null) {
                Postgres.dropDatabase(placement.database());
            }
        }
    }
}
