package dev.twophase.conformance;

import java.util.List;

/** Every rule's result, in the order run. */
public record Report(String participantUrl, List<RuleResult> results) {

    public Report {
        results = List.copyOf(results);
    }

    public long count(RuleResult.Outcome outcome) {
        return results.stream().filter(r -> r.outcome() == outcome).count();
    }

    /** True when no rule failed and at least one passed. */
    public boolean conforms() {
        return count(RuleResult.Outcome.FAIL) == 0 && count(RuleResult.Outcome.PASS) > 0;
    }

    public List<RuleResult> failures() {
        return results.stream()
                .filter(r -> r.outcome() == RuleResult.Outcome.FAIL)
                .toList();
    }

    /** The last line the command prints: {@code N passed, M failed}. */
    public String summary() {
        return count(RuleResult.Outcome.PASS) + " passed, " + count(RuleResult.Outcome.FAIL) + " failed";
    }
}
