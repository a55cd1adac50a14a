package dev.twophase.coordinator.cluster;

import dev.twophase.coordinator.config.CoordinatorProperties;
import dev.twophase.coordinator.log.TransactionLog;
import dev.twophase.coordinator.transaction.OnePhaseCommit;
import dev.twophase.coordinator.transaction.TransferMetrics;
import dev.twophase.fault.CrashPoints;
import dev.twophase.store.GroupCommit;
import dev.twophase.store.jdbc.ServiceStore;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/** The cluster's beans: this node's membership (its lease), the takeover loop and their records. */
@Configuration(proxyBeanMethods = false)
class ClusterConfiguration {

    @Bean
    NodeRegistry nodeRegistry(JdbcTemplate jdbc, GroupCommit logWrites) {
        return new NodeRegistry(jdbc, logWrites);
    }

    @Bean
    ClusterMetrics clusterMetrics(MeterRegistry registry) {
        return new ClusterMetrics(registry);
    }

    /** Embedded H2 is locked to one process: no other node can hold a lease on it. */
    @Bean(destroyMethod = "close")
    ClusterMembership clusterMembership(
            NodeRegistry registry, CoordinatorProperties properties, ServiceStore store, ClusterMetrics metrics) {
        return new ClusterMembership(registry, properties, store.kind() == ServiceStore.Kind.EMBEDDED_H2, metrics);
    }

    @Bean
    TakeoverRecords takeoverRecords(JdbcTemplate jdbc, GroupCommit logWrites) {
        return new TakeoverRecords(jdbc, logWrites);
    }

    @Bean
    ClusterView clusterView(NodeRegistry registry, TakeoverRecords records, ClusterMembership membership) {
        return new ClusterView(registry, records, membership);
    }

    @Bean(destroyMethod = "close")
    TakeoverLoop takeoverLoop(
            ClusterMembership membership,
            NodeRegistry registry,
            TakeoverRecords records,
            TransactionLog transactionLog,
            OnePhaseCommit onePhase,
            ExecutorService protocolExecutor,
            CrashPoints crashPoints,
            TransferMetrics transferMetrics,
            ClusterMetrics metrics,
            Clock clock) {
        return new TakeoverLoop(
                membership,
                registry,
                records,
                transactionLog,
                onePhase,
                protocolExecutor,
                crashPoints,
                transferMetrics,
                metrics,
                clock);
    }
}
