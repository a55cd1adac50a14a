package dev.twophase.coordinator.reconciliation;

import dev.twophase.coordinator.log.ParticipantEntry;
import dev.twophase.coordinator.log.TransactionRecord;
import dev.twophase.protocol.Decision;
import dev.twophase.protocol.ParticipantState;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Compares the coordinator's transactions of a window with what each bank decided, and lists where they disagree.
 * Pure: the logs come in as pages, maps and look-ups, so every rule has a plain unit test. Feed it the coordinator's
 * pages ({@link #coordinatorPage}), then {@link #finish}.
 *
 * <p>Per transaction the coordinator began in the window, and per bank taking part:
 *
 * <ul>
 *   <li>decided COMMIT here: the bank must have COMMITTED it, moving the same net amount; ABORTED there, or no record
 *       there at all, is a disagreement; PREPARED there is in flight until {@code inDoubtAfter}, in doubt after it;
 *   <li>decided ABORT here: the bank must not have COMMITTED it (aborted or no record are both right: presumed abort);
 *   <li>undecided here: reported once past {@code inDoubtAfter}, without a bank.
 * </ul>
 *
 * And per transaction a bank COMMITTED within the window that the coordinator did not begin in it: one the
 * coordinator has no record of at all is a disagreement (one it began earlier belongs to an earlier window).
 */
final class Comparison {

    /** The most disagreements a report lists (all are counted). */
    static final int LISTED = 1000;

    /** One bank's side: what it decided in the window (and the lag after it), and a look-up of any one record. */
    record BankSide(Map<String, Decided> decided, Function<String, Optional<Decided>> find) {}

    private final Instant to;
    private final Instant now;
    private final Duration inDoubtAfter;
    private final Map<String, BankSide> banks;
    private final Map<String, Totals> totals = new LinkedHashMap<>();
    private final List<Disagreement> disagreements = new ArrayList<>();
    private final Set<String> seen = new HashSet<>();
    private long disagreementCount;
    private long transactions;

    /** For the window ending at {@code to}, judged at {@code now}, against each reachable bank's side. */
    Comparison(Instant to, Instant now, Duration inDoubtAfter, Map<String, BankSide> banks) {
        this.to = to;
        this.now = now;
        this.inDoubtAfter = inDoubtAfter;
        this.banks = banks;
        banks.keySet().forEach(bank -> totals.put(bank, new Totals()));
    }

    void coordinatorPage(List<TransactionRecord> page) {
        for (TransactionRecord record : page) {
            transactions++;
            seen.add(record.txId());
            Optional<Decision> decision = record.state().decision();
            if (decision.isEmpty() && old(record.createdAt())) {
                report(new Disagreement(
                        record.txId(),
                        null,
                        Disagreement.Kind.UNDECIDED_HERE,
                        record.state().name(),
                        null,
                        null,
                        null,
                        false,
                        record.createdAt()));
            }
            for (String bank : record.transfer().banks()) {
                BankSide there = banks.get(bank);
                if (there != null) {
                    compare(record, decision, bank, there, totals.get(bank));
                }
            }
        }
    }

    /** The per-bank totals, after the pass over what the banks committed that the coordinator did not begin. */
    List<BankTotals> finish(Function<String, Optional<TransactionRecord>> findHere) {
        List<BankTotals> result = new ArrayList<>();
        banks.forEach((bank, there) -> {
            Totals sum = totals.get(bank);
            there.decided().forEach((txId, theirs) -> {
                if (!seen.contains(txId)
                        && theirs.state() == ParticipantState.COMMITTED
                        && theirs.decidedAt() != null
                        && theirs.decidedAt().isBefore(to)
                        && findHere.apply(txId).isEmpty()) {
                    sum.there(theirs.net());
                    report(new Disagreement(
                            txId,
                            bank,
                            Disagreement.Kind.APPLIED_THERE_UNKNOWN_HERE,
                            "none",
                            theirs.state().name(),
                            null,
                            theirs.net(),
                            false,
                            theirs.decidedAt()));
                }
            });
            result.add(new BankTotals(bank, sum.netHere, sum.netThere, sum.committedHere, sum.committedThere));
        });
        return result;
    }

    /** The disagreements found, the first {@link #LISTED} of them. */
    List<Disagreement> disagreements() {
        return List.copyOf(disagreements);
    }

    /** How many disagreements were found, listed or not. */
    long disagreementCount() {
        return disagreementCount;
    }

    /**
     * Keeps a disagreement; beyond {@link #LISTED} only counts it, so that a bank that lost its whole log does not
     * turn one report into a million rows.
     */
    private void report(Disagreement disagreement) {
        disagreementCount++;
        if (disagreements.size() < LISTED) {
            disagreements.add(disagreement);
        }
    }

    long transactions() {
        return transactions;
    }

    private void compare(
            TransactionRecord record, Optional<Decision> decision, String bank, BankSide there, Totals sum) {
        BigDecimal expected = Decided.net(record.transfer().operationsFor(bank));
        Decided theirs = there.decided().get(record.txId());
        if (decision.isPresent() && decision.get() == Decision.COMMIT) {
            sum.here(expected);
            if (theirs == null) {
                // Decided there after the bank's window, or never: ask for that one record.
                theirs = there.find().apply(record.txId()).orElse(null);
            }
            if (theirs == null) {
                add(record, bank, Disagreement.Kind.COMMITTED_HERE_UNKNOWN_THERE, "none", expected, null);
            } else if (theirs.state() == ParticipantState.COMMITTED) {
                sum.there(theirs.net());
                if (theirs.net().compareTo(expected) != 0) {
                    add(record, bank, Disagreement.Kind.AMOUNT_DIFFERS, "COMMITTED", expected, theirs.net());
                }
            } else if (theirs.state() == ParticipantState.ABORTED) {
                add(record, bank, Disagreement.Kind.COMMITTED_HERE_ABORTED_THERE, "ABORTED", expected, null);
            } else if (old(record.createdAt())) {
                add(
                        record,
                        bank,
                        Disagreement.Kind.IN_DOUBT_THERE,
                        theirs.state().name(),
                        expected,
                        null);
            }
        } else if (theirs != null && theirs.state() == ParticipantState.COMMITTED) {
            sum.there(theirs.net());
            // Undecided here, committed there: a one-phase transfer whose outcome is on its way, until it is old.
            if (decision.isPresent() || old(record.createdAt())) {
                add(record, bank, Disagreement.Kind.ABORTED_HERE_COMMITTED_THERE, "COMMITTED", expected, theirs.net());
            }
        }
    }

    private void add(
            TransactionRecord record,
            String bank,
            Disagreement.Kind kind,
            String there,
            BigDecimal netHere,
            BigDecimal netThere) {
        boolean heuristic = record.participants().stream()
                .filter(p -> p.bankId().equals(bank))
                .map(ParticipantEntry::heuristic)
                .anyMatch(h -> h != null);
        report(new Disagreement(
                record.txId(),
                bank,
                kind,
                record.state().name(),
                there,
                netHere,
                netThere,
                heuristic,
                record.createdAt()));
    }

    private boolean old(Instant at) {
        return at != null && at.plus(inDoubtAfter).isBefore(now);
    }

    /** A bank's running totals over the window. */
    private static final class Totals {
        BigDecimal netHere = BigDecimal.ZERO;
        BigDecimal netThere = BigDecimal.ZERO;
        long committedHere;
        long committedThere;

        void here(BigDecimal net) {
            netHere = netHere.add(net);
            committedHere++;
        }

        void there(BigDecimal net) {
            netThere = netThere.add(net);
            committedThere++;
        }
    }
}
