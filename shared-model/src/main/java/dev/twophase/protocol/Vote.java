package dev.twophase.protocol;

/** A participant's answer to prepare. YES is a durable promise: the participant can commit and will not decide alone. */
public enum Vote {
    YES,
    NO
}
