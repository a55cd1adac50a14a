package dev.twophase.store.jdbc;

import dev.twophase.store.GroupCommit;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A service store's meters on /actuator/metrics: writes, store commits and forced writes (fsync) so far, writes
 * waiting, each write's latency, and the bytes the store takes on disk.
 */
public final class StoreMetrics {

    private static final Logger log = LoggerFactory.getLogger(StoreMetrics.class);

    private StoreMetrics() {}

    public static MeterBinder of(GroupCommit writes, ServiceStore store, JdbcTemplate jdbc) {
        return registry -> {
            FunctionCounter.builder("twophase.log.writes", writes, GroupCommit::writes)
                    .description("writes made durable")
                    .register(registry);
            FunctionCounter.builder("twophase.log.commits", writes, GroupCommit::commits)
                    .description("store commits, each holding a group of writes")
                    .register(registry);
            FunctionCounter.builder("twophase.log.forces", writes, GroupCommit::forces)
                    .description("forced writes to the device (fsync; on PostgreSQL, commits it flushed)")
                    .register(registry);
            Gauge.builder("twophase.log.queued", writes, GroupCommit::queued)
                    .description("writes waiting for the writer")
                    .register(registry);
            Timer latency = Timer.builder("twophase.log.write")
                    .description("one write from the call until it is durable (queue, batch, commit, force)")
                    .publishPercentileHistogram()
                    .register(registry);
            writes.reportLatencyTo(nanos -> latency.record(nanos, TimeUnit.NANOSECONDS));
            Gauge.builder("twophase.store.size", store, s -> sizeOrNaN(s, jdbc))
                    .description("bytes the store takes on disk (H2: its files; PostgreSQL: its database)")
                    .baseUnit("bytes")
                    .tag("store", store.kind().name())
                    .register(registry);
        };
    }

    private static double sizeOrNaN(ServiceStore store, JdbcTemplate jdbc) {
        try {
            return store.sizeOnDisk(jdbc);
        } catch (RuntimeException e) {
            log.debug("Store size unknown", e);
            return Double.NaN; // the database is unreachable right now
        }
    }
}
