package dev.twophase.protocol;

/** What a participant does to one account when the transaction commits. */
public enum OperationType {
    /** Take the amount out; prepare reserves it as a hold so that commit cannot fail. */
    DEBIT,
    /** Pay the amount in; prepare only checks that the account exists. */
    CREDIT
}
