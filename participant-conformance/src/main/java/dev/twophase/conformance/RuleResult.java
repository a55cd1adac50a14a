package dev.twophase.conformance;

/** How one rule fared, with the evidence when it failed and the reason when it did not run. */
public record RuleResult(Rule rule, Outcome outcome, String detail, long millis) {

    /** A rule's verdict. */
    public enum Outcome {
        PASS,
        FAIL,
        /** Not checked: the kit was not given what the rule needs (never counted as passed). */
        NOT_RUN
    }

    /** The line the command prints for this rule. */
    public String line() {
        String head = String.format("%-7s %-40s %s (protocol.md: %s)", outcome, rule.id(), rule.says(), rule.section());
        return detail == null ? head : head + System.lineSeparator() + "        " + detail;
    }
}
