package dev.twophase.coordinator.dashboard;

import dev.twophase.coordinator.config.CoordinatorProperties;
import dev.twophase.coordinator.participant.ParticipantClient;
import dev.twophase.coordinator.transaction.OutcomeRates;
import dev.twophase.coordinator.transaction.Transfer;
import dev.twophase.coordinator.transaction.TransferMetrics;
import dev.twophase.coordinator.transaction.TxState;
import dev.twophase.protocol.Decision;
import dev.twophase.protocol.Operation;
import dev.twophase.protocol.OperationType;
import dev.twophase.protocol.ParticipantTransaction;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;

/** Everything the dashboard's live panels show, put together from the log, the bank monitor and the meters. */
@Service
public class Overview {

    /** The whole page's data at one instant. */
    public record Snapshot(
            Instant generatedAt,
            long staleAfterSeconds,
            Map<TxState, Long> counts,
            Rates rates,
            List<InDoubtRow> inDoubt,
            List<UndecidedRow> undecided,
            List<BankRow> banks,
            List<OpsQueries.HeuristicReport> heuristics) {}

    /** Commits per second and the share of aborts over the last 1, 5 and 15 minutes, and per minute. */
    public record Rates(
            OutcomeRates.Rate lastMinute,
            OutcomeRates.Rate last5Minutes,
            OutcomeRates.Rate last15Minutes,
            List<OutcomeRates.Rate> perMinute) {}

    /** A decided transaction one bank has not acknowledged. */
    public record InDoubtRow(
            String txId,
            Decision decision,
            String bankId,
            Instant decidedAt,
            long ageSeconds,
            int attempts,
            String lastError,
            Instant nextAttemptAt,
            String amount,
            boolean stale) {}

    /** A transaction still collecting votes. */
    public record UndecidedRow(
            String txId,
            Instant createdAt,
            long ageSeconds,
            String from,
            String to,
            String amount,
            boolean onePhase,
            boolean stale) {}

    /** One bank: reachability, its circuit breaker, recent latency, and what it holds in doubt. */
    public record BankRow(
            String bankId,
            String url,
            boolean reachable,
            Instant checkedAt,
            Long healthLatencyMillis,
            String error,
            String circuitBreaker,
            Latency prepare,
            Latency decision,
            List<BankInDoubtRow> inDoubt) {}

    /** Recent latency of one kind of protocol message (the last two minutes or so), in milliseconds. */
    public record Latency(long count, double p50Millis, double p99Millis) {}

    /**
     * A transaction prepared at a bank and not decided there. {@code coordinatorState} is this coordinator's state of
     * it, or null if it has no record (another coordinator's, or lost); {@code coordinatorAnswers} is what the bank's
     * own inquiries found: "yes", "no" or "not asked yet".
     */
    public record BankInDoubtRow(
            String txId,
            Instant preparedAt,
            long ageSeconds,
            String held,
            List<Operation> operations,
            int inquiryAttempts,
            String coordinatorAnswers,
            String lastInquiryError,
            TxState coordinatorState,
            boolean stale) {}

    private final OpsQueries queries;
    private final BankMonitor monitor;
    private final ParticipantClient participants;
    private final TransferMetrics metrics;
    private final Duration staleAfter;
    private final Clock clock;

    Overview(
            OpsQueries queries,
            BankMonitor monitor,
            ParticipantClient participants,
            TransferMetrics metrics,
            CoordinatorProperties properties,
            Clock clock) {
        this.queries = queries;
        this.monitor = monitor;
        this.participants = participants;
        this.metrics = metrics;
        this.staleAfter = properties.dashboard().staleAfter();
        this.clock = clock;
    }

    public Snapshot now() {
        Instant now = clock.instant();
        long second = now.getEpochSecond();
        OutcomeRates rates = metrics.rates();
        return new Snapshot(
                now,
                staleAfter.toSeconds(),
                queries.countsByState(),
                new Rates(
                        rates.over(60, second),
                        rates.over(300, second),
                        rates.over(900, second),
                        rates.perMinute(15, second)),
                queries.inDoubtDeliveries().stream()
                        .map(d -> new InDoubtRow(
                                d.txId(),
                                d.decision(),
                                d.bankId(),
                                d.decidedAt(),
                                age(d.decidedAt(), now),
                                d.attempts(),
                                d.lastError(),
                                d.nextAttemptAt(),
                                d.amount().toPlainString(),
                                isStale(d.decidedAt(), now)))
                        .toList(),
                queries.undecided().stream()
                        .map(u -> new UndecidedRow(
                                u.txId(),
                                u.createdAt(),
                                age(u.createdAt(), now),
                                side(u.transfer(), true),
                                side(u.transfer(), false),
                                u.transfer().debited().toPlainString(),
                                u.transfer().isOnePhase(),
                                isStale(u.createdAt(), now)))
                        .toList(),
                banks(now),
                queries.heuristics());
    }

    /**
     * The accounts debited ({@code debits}) or credited: "bank-a/alice" for a transfer; for any other transaction each
     * leg with its amount, "bank-a/alice 40.00, bank-c/fees 2.00".
     */
    static String side(Transfer transfer, boolean debits) {
        if (transfer.asPair().isPresent()) {
            Transfer.Pair pair = transfer.asPair().get();
            return debits ? pair.fromBank() + "/" + pair.fromAccount() : pair.toBank() + "/" + pair.toAccount();
        }
        return transfer.legs().stream()
                .filter(leg -> leg.isDebit() == debits)
                .map(leg -> leg.bank() + "/" + leg.account() + " "
                        + leg.amount().abs().toPlainString())
                .collect(Collectors.joining(", "));
    }

    private List<BankRow> banks(Instant now) {
        Map<String, BankSnapshot> snapshots = monitor.snapshots();
        Map<String, TxState> known = queries.statesOf(snapshots.values().stream()
                .flatMap(s -> s.inDoubt().stream())
                .map(ParticipantTransaction::txId)
                .toList());
        return snapshots.values().stream()
                .sorted(Comparator.comparing(BankSnapshot::bankId))
                .map(s -> new BankRow(
                        s.bankId(),
                        s.url(),
                        s.reachable(),
                        s.checkedAt(),
                        s.healthLatencyMillis(),
                        s.error(),
                        participants.breaker(s.bankId()).getState().name(),
                        latency(participants.latency(s.bankId(), "prepare")),
                        latency(participants.latency(s.bankId(), "decision")),
                        s.inDoubt().stream()
                                .map(tx -> inDoubtAtBank(tx, known.get(tx.txId()), now))
                                .toList()))
                .toList();
    }

    private BankInDoubtRow inDoubtAtBank(ParticipantTransaction tx, TxState coordinatorState, Instant now) {
        BigDecimal held = tx.operations().stream()
                .filter(op -> op.type() == OperationType.DEBIT)
                .map(Operation::amount)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        String answers = tx.lastInquiryAt() == null ? "not asked yet" : tx.lastInquiryError() == null ? "yes" : "no";
        return new BankInDoubtRow(
                tx.txId(),
                tx.preparedAt(),
                age(tx.preparedAt(), now),
                held.setScale(2).toPlainString(),
                tx.operations(),
                tx.inquiryAttempts(),
                answers,
                tx.lastInquiryError(),
                coordinatorState,
                isStale(tx.preparedAt(), now));
    }

    private static Latency latency(Timer timer) {
        double p50 = 0;
        double p99 = 0;
        for (ValueAtPercentile value : timer.takeSnapshot().percentileValues()) {
            if (value.percentile() == 0.5) {
                p50 = value.value(TimeUnit.MILLISECONDS);
            } else if (value.percentile() == 0.99) {
                p99 = value.value(TimeUnit.MILLISECONDS);
            }
        }
        return new Latency(timer.count(), p50, p99);
    }

    private boolean isStale(Instant since, Instant now) {
        return since != null && Duration.between(since, now).compareTo(staleAfter) > 0;
    }

    private static long age(Instant since, Instant now) {
        return since == null ? 0 : Math.max(0, Duration.between(since, now).toSeconds());
    }
}
