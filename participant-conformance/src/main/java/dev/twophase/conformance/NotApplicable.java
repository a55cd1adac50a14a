package dev.twophase.conformance;

/** The participant does not offer what a rule checks, and the protocol allows that (batches are optional). */
public class NotApplicable extends RuntimeException {

    public NotApplicable(String why) {
        super(why);
    }
}
