package dev.twophase.coordinator.config;

import dev.twophase.fault.CrashPoints;
import dev.twophase.store.jdbc.JournaledJdbcStore;
import dev.twophase.store.retention.RetentionSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** Settings of the coordinator; every default is in application.yml. */
@ConfigurationProperties("twophase")
public record CoordinatorProperties(
        Path dataDir,
        /* Base URL of each bank, by bank id. */
        Map<String, URI> participants,
        /* How long phase 1 may take: a bank that has not voted by then counts as NO (TIMEOUT). */
        Duration prepareTimeout,
        /* How long one phase-2 request may take before it counts as failed and is retried later. */
        Duration decisionTimeout,
        Duration connectTimeout,
        /* How long POST /api/transfers waits for the decision before answering 202 PENDING. */
        Duration transferWait,
        Redelivery redelivery,
        JournaledJdbcStore.Settings log,
        /* What has ended is deleted once older than the retention period (never what is undecided or in doubt). */
        RetentionSettings retention,
        Batching batching,
        Dashboard dashboard,
        Crash crash,
        /* This coordinator's id within its cluster: unique, stable across restarts (twophase.node-id). */
        String nodeId,
        Cluster cluster) {

    /**
     * The cluster's leases (src-docs/cluster.md): a node renews its lease every {@code renewalInterval}; one not renewed
     * for {@code leaseLength} (by the database's clock) is fenced by another node, which takes its unfinished
     * transactions over. Each node also looks for lapsed leases every {@code renewalInterval}.
     */
    public record Cluster(Duration leaseLength, Duration renewalInterval) {

        public Cluster {
            if (leaseLength.compareTo(renewalInterval.multipliedBy(2)) < 0) {
                throw new IllegalArgumentException("twophase.cluster.lease-length (" + leaseLength
                        + ") must be at least twice twophase.cluster.renewal-interval (" + renewalInterval + ")");
            }
        }
    }

    /**
     * The ops dashboard: an in-doubt transaction older than {@code staleAfter} stands out; each bank's health and
     * in-doubt list are read every {@code bankPollInterval} (one poller for all viewers, so pages never call banks).
     */
    public record Dashboard(Duration staleAfter, Duration bankPollInterval) {}

    /**
     * Protocol messages to the same bank sent together in {@code POST /2pc/batch} requests: at most
     * {@code maxMessages} in one request and {@code maxInFlight} requests open to a bank at once per kind (prepares,
     * decisions). A prepare never waits to fill a batch; a decision waits up to {@code decisionLinger} to ride in a
     * request that carries prepares to the same bank (phase 2 is off the client's path). Off: one HTTP request per
     * message.
     */
    public record Batching(boolean enabled, int maxMessages, int maxInFlight, Duration decisionLinger) {

        public Batching {
            decisionLinger = decisionLinger == null ? Duration.ZERO : decisionLinger;
        }
    }

    /** The long tail of phase 2: decisions retransmitted with capped exponential backoff until acknowledged. */
    public record Redelivery(Duration pollInterval, Duration initialBackoff, Duration maxBackoff, int batchSize) {}

    /** Test-only crash point; blank means none. */
    public record Crash(String point, CrashPoints.Action action) {}
}
