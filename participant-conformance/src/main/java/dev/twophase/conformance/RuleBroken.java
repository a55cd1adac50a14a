package dev.twophase.conformance;

/** A participant broke the rule being checked; the message says what was sent and what came back. */
public class RuleBroken extends RuntimeException {

    public RuleBroken(String evidence) {
        super(evidence);
    }
}
