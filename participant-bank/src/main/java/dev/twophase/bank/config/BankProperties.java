package dev.twophase.bank.config;

import dev.twophase.fault.CrashPoints;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** Settings of a bank; defaults are in application.yml. */
@ConfigurationProperties("twophase")
public record BankProperties(String bankId, Path dataDir, URI coordinatorUrl, Inquiry inquiry, Log log, Crash crash) {

    /**
     * Group commit of the bank's store (participant log and balances): whether each commit is forced to the device
     * (fsync) before anyone hears of it (power-failure durable) or only written to the file (kill -9 durable), how
     * many writes one commit may hold, and how many may wait for the writer before callers are held back.
     */
    public record Log(boolean forceOnCommit, int maxBatch, int maxQueued) {}

    /** How a prepared transaction that hears nothing asks the coordinator. */
    public record Inquiry(
            Duration after,
            Duration pollInterval,
            Duration initialBackoff,
            Duration maxBackoff,
            Duration requestTimeout) {}

    /** Test-only crash point; blank means none. */
    public record Crash(String point, CrashPoints.Action action) {}
}
