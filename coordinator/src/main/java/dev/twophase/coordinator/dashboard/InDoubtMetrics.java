package dev.twophase.coordinator.dashboard;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.stereotype.Component;

/**
 * In-doubt gauges on /actuator/prometheus: decisions not yet acknowledged and transactions still collecting votes
 * (read from the log at each scrape), and what each bank last reported as prepared and undecided there.
 */
@Component
class InDoubtMetrics implements MeterBinder {

    private final OpsQueries queries;
    private final BankMonitor monitor;

    InDoubtMetrics(OpsQueries queries, BankMonitor monitor) {
        this.queries = queries;
        this.monitor = monitor;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("twophase.in.doubt", queries, OpsQueries::countUndelivered)
                .description("decisions logged here that some bank has not acknowledged yet")
                .register(registry);
        Gauge.builder("twophase.undecided", queries, OpsQueries::countUndecided)
                .description("transactions still collecting votes")
                .register(registry);
        for (String bank : monitor.snapshots().keySet()) {
            Gauge.builder("twophase.bank.in.doubt", monitor, m -> inDoubtAt(m, bank))
                    .description("transactions prepared and undecided at the bank, as it last reported (NaN: unread)")
                    .tag("bank", bank)
                    .register(registry);
        }
    }

    private static double inDoubtAt(BankMonitor monitor, String bank) {
        BankSnapshot snapshot = monitor.snapshots().get(bank);
        return snapshot == null || !snapshot.reachable()
                ? Double.NaN
                : snapshot.inDoubt().size();
    }
}
