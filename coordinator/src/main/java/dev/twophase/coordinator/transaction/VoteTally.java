package dev.twophase.coordinator.transaction;

import dev.twophase.protocol.AbortReason;
import dev.twophase.protocol.Decision;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Counts ballots and says as soon as the decision is known: COMMIT once every bank voted YES, ABORT at the first
 * ballot that is not YES (no need to wait for the rest). Not thread-safe; the caller serialises.
 */
public final class VoteTally {

    private final List<String> banks;
    private final Map<String, Ballot> ballots = new LinkedHashMap<>();
    private Verdict verdict;

    public VoteTally(List<String> banks) {
        if (banks.isEmpty()) {
            throw new IllegalArgumentException("a transaction needs at least one bank");
        }
        this.banks = List.copyOf(banks);
    }

    /**
     * Records one bank's ballot (a bank's second ballot is ignored).
     *
     * @return the verdict, the first time it becomes known; empty before and after
     */
    public Optional<Verdict> record(String bank, Ballot ballot) {
        if (!banks.contains(bank)) {
            throw new IllegalArgumentException("bank " + bank + " is not a participant");
        }
        ballots.putIfAbsent(bank, ballot);
        if (verdict != null) {
            return Optional.empty();
        }
        if (!ballot.isYes()) {
            verdict = new Verdict(Decision.ABORT, ballot.reason());
        } else if (ballots.size() == banks.size() && ballots.values().stream().allMatch(Ballot::isYes)) {
            verdict = new Verdict(Decision.COMMIT, null);
        }
        return Optional.ofNullable(verdict);
    }

    /**
     * Phase 1 ran out of time: every bank that has not voted counts as timed out.
     *
     * @return the verdict: the one already reached, if any, or the one the missing ballots bring
     */
    public Verdict timeOut() {
        for (String bank : banks) {
            if (!ballots.containsKey(bank)) {
                record(bank, Ballot.timedOut());
            }
        }
        return verdict;
    }

    /** Every bank's ballot so far; a bank that has not answered yet has none. */
    public Map<String, Ballot> ballots() {
        return Map.copyOf(ballots);
    }

    /** The decision and, for ABORT, the reason the client is told. */
    public record Verdict(Decision decision, AbortReason reason) {}
}
