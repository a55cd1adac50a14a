package dev.twophase.bank.participant;

/** A commit for a transaction this bank never prepared: a protocol violation, never applied. */
public class UnknownTransaction extends RuntimeException {

    public UnknownTransaction(String txId) {
        super("tx=" + txId + " is not known to this bank");
    }
}
