package dev.twophase.bank.participant;

import dev.twophase.protocol.ParticipantState;
import dev.twophase.protocol.Vote;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The participant's meters on /actuator/prometheus: votes and decisions by outcome and by how the decision arrived,
 * and a gauge of transactions in doubt here (read from the log at each scrape, so it is right after a restart too).
 */
@Component
class ParticipantMetrics {

    private final MeterRegistry registry;
    /** Looked up once each and kept, not built per message. */
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    ParticipantMetrics(MeterRegistry registry, ParticipantLog participantLog) {
        this.registry = registry;
        Gauge.builder("twophase.in.doubt", participantLog, l -> l.count(ParticipantState.PREPARED))
                .description("transactions this bank has prepared and not yet seen decided")
                .register(registry);
    }

    void voted(Vote vote) {
        counters.computeIfAbsent("vote/" + vote, key -> Counter.builder("twophase.votes")
                        .description("votes cast")
                        .tag("vote", vote.name())
                        .register(registry))
                .increment();
    }

    void decided(ParticipantState outcome, DecidedVia via) {
        counters.computeIfAbsent(outcome + "/" + via, key -> Counter.builder("twophase.decisions")
                        .description("decisions applied, by outcome and by how the bank learnt them")
                        .tag("outcome", outcome.name())
                        .tag("via", via.name())
                        .register(registry))
                .increment();
    }
}
