package dev.twophase.store.retention;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes what a service no longer needs, in small batches, off the request path: on its own thread, every {@link
 * RetentionSettings#interval()}, each {@link Retirer} deletes batches of what is older than its cutoff until it finds
 * fewer than a batch or has done its share of batches for this run. Counted on {@code twophase.retention.retired}
 * (tagged with what was retired).
 */
public final class RetentionJob implements AutoCloseable {

    /** One kind of thing to delete. */
    public interface Retirer {
        /**
         * Deletes, durably, at most {@code limit} of what this retirer deletes that is older than {@code cutoff}.
         *
         * @return how many were deleted
         */
        int retire(Instant cutoff, int limit);
    }

    private record Kind(String what, Duration period, Retirer retirer, Counter retired) {}

    private static final Logger log = LoggerFactory.getLogger(RetentionJob.class);

    private final RetentionSettings settings;
    private final Clock clock;
    private final MeterRegistry registry;
    private final List<Kind> kinds = new ArrayList<>();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread t = new Thread(task, "retention");
        t.setDaemon(true);
        return t;
    });

    public RetentionJob(RetentionSettings settings, MeterRegistry registry, Clock clock) {
        this.settings = settings;
        this.registry = registry;
        this.clock = clock;
    }

    /** Adds a kind of thing to retire once older than {@code period}; {@code what} names it in logs and metrics. */
    public RetentionJob retire(String what, Duration period, Retirer retirer) {
        kinds.add(new Kind(
                what,
                period,
                retirer,
                Counter.builder("twophase.retention.retired")
                        .description("rows deleted by retention, by what they were")
                        .tag("what", what)
                        .register(registry)));
        return this;
    }

    /** Starts running every interval (call once the service has recovered and is ready). */
    public void start() {
        long every = settings.interval().toMillis();
        thread.scheduleWithFixedDelay(this::runOnce, every, every, TimeUnit.MILLISECONDS);
    }

    /** One run: each kind deletes batches until it runs out or has done its share. */
    public void runOnce() {
        for (Kind kind : kinds) {
            try {
                Instant cutoff = clock.instant().minus(kind.period());
                for (int batch = 0; batch < settings.maxBatchesPerRun(); batch++) {
                    int deleted = kind.retirer().retire(cutoff, settings.batchSize());
                    kind.retired().increment(deleted);
                    if (deleted < settings.batchSize()) {
                        break;
                    }
                }
            } catch (RuntimeException e) {
                // The store may be unreachable for a while (a PostgreSQL restart): the next run tries again.
                log.warn("Retention of {} failed this time: {}", kind.what(), e.toString());
            }
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
