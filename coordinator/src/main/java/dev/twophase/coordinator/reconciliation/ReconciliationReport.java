package dev.twophase.coordinator.reconciliation;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One reconciliation: the window of transactions compared ({@code [from, to)} by when they began), per-bank totals,
 * the disagreements (all counted in {@code disagreementCount}, the first thousand listed), and the banks that could not
 * be read (their part is missing: the report is then incomplete,
 * never "in agreement").
 */
public record ReconciliationReport(
        Instant from,
        Instant to,
        Instant ranAt,
        long tookMillis,
        long transactions,
        List<BankTotals> totals,
        long disagreementCount,
        List<Disagreement> disagreements,
        Map<String, String> unreadableBanks) {

    public ReconciliationReport {
        totals = List.copyOf(totals);
        disagreements = List.copyOf(disagreements);
        unreadableBanks = Map.copyOf(unreadableBanks);
    }

    /** Every bank read, every total equal, no disagreement. */
    public boolean agrees() {
        return unreadableBanks.isEmpty()
                && disagreements.isEmpty()
                && totals.stream().allMatch(BankTotals::agree);
    }
}
