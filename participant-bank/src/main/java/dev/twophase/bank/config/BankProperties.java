package dev.twophase.bank.config;

import dev.twophase.fault.CrashPoints;
import dev.twophase.store.jdbc.JournaledJdbcStore;
import dev.twophase.store.retention.RetentionSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** Settings of a bank; defaults are in application.yml. */
@ConfigurationProperties("twophase")
public record BankProperties(
        String bankId,
        Path dataDir,
        /* The coordinator's base URL; a cluster's nodes comma-separated (an inquiry tries them in turn). */
        List<URI> coordinatorUrl,
        Inquiry inquiry,
        JournaledJdbcStore.Settings log,
        /* Decided transactions are deleted once older than the retention period (never a prepared one). */
        RetentionSettings retention,
        Crash crash) {

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
