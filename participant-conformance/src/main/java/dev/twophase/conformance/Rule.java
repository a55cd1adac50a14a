package dev.twophase.conformance;

/**
 * One rule of the protocol the kit checks: an id to find it by, what it says, where protocol.md states it, what it
 * needs beyond a running participant, and the check itself, which throws {@link RuleBroken} with the evidence.
 */
public record Rule(String id, String says, String section, Needs needs, Check check) {

    /** What a rule needs to run at all; without it the rule is reported as not run, never as passed. */
    public enum Needs {
        /** A participant and its bank API. */
        PARTICIPANT,
        /** The kit answering decision inquiries as the coordinator ({@code --coordinator-port}). */
        INQUIRIES,
        /** Commands that kill and start the participant ({@code --kill-command}, {@code --start-command}). */
        RESTARTS
    }

    /** The check: returns when the participant kept the rule. */
    @FunctionalInterface
    public interface Check {
        void run(RuleContext context) throws Exception;
    }

    static Rule of(String id, String says, String section, Check check) {
        return new Rule(id, says, section, Needs.PARTICIPANT, check);
    }
}
