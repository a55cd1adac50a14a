package dev.twophase.coordinator.transaction;

import dev.twophase.protocol.AbortReason;
import dev.twophase.protocol.Decision;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The protocol's meters on /actuator/prometheus (transfers by outcome, phase latencies as histograms,
 * redeliveries, heuristic outcomes) and the live commit/abort rates the dashboard shows.
 */
@Component
public class TransferMetrics {

    /** Phases whose latency is measured: collecting the votes, making the decision durable, one delivery. */
    public enum Phase {
        PREPARE,
        DECISION_LOG,
        DELIVERY
    }

    private static final int RATE_WINDOW_SECONDS = 15 * 60;

    private final MeterRegistry registry;
    private final Clock clock;
    private final OutcomeRates rates = new OutcomeRates(RATE_WINDOW_SECONDS);
    // Meters are looked up once and kept: building one per call costs an id and a registry lookup per transfer.
    private final Map<String, Counter> outcomes = new ConcurrentHashMap<>();
    private final Map<Phase, Timer> phases = new EnumMap<>(Phase.class);
    private final Map<String, Counter> redeliveries = new ConcurrentHashMap<>();

    public TransferMetrics(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
        for (Phase phase : Phase.values()) {
            phases.put(
                    phase,
                    Timer.builder("twophase.phase.duration")
                            .description("latency of each protocol phase")
                            .tag("phase", phase.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                            .publishPercentileHistogram()
                            .register(registry));
        }
    }

    /** A transfer was decided (durably), by whichever path: engine, one phase, recovery, sweeper or operator. */
    public void decided(Decision decision, AbortReason reason) {
        String outcome = decision == Decision.COMMIT ? "COMMITTED" : "ABORTED";
        String why = reason == null ? "none" : reason.name();
        outcomes.computeIfAbsent(outcome + "/" + why, key -> Counter.builder("twophase.transfers")
                        .description("transfers decided, by outcome and abort reason")
                        .tag("outcome", outcome)
                        .tag("reason", why)
                        .register(registry))
                .increment();
        rates.record(decision == Decision.COMMIT, clock.instant().getEpochSecond());
    }

    public void phase(Phase phase, Duration took) {
        phases.get(phase).record(took);
    }

    /** A decision was sent again after an earlier attempt to {@code bank} failed. */
    public void redelivered(String bank) {
        redeliveries
                .computeIfAbsent(bank, b -> Counter.builder("twophase.redeliveries")
                        .description("decisions sent again after a failed delivery")
                        .tag("bank", b)
                        .register(registry))
                .increment();
    }

    public void heuristic(String bank, HeuristicOutcome outcome) {
        Counter.builder("twophase.heuristic.outcomes")
                .description("banks that reported an operator's heuristic decision")
                .tag("bank", bank)
                .tag("outcome", outcome.name())
                .register(registry)
                .increment();
    }

    public OutcomeRates rates() {
        return rates;
    }
}
