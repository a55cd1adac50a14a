package dev.twophase.coordinator.log;

/** An unfinished transaction and the owner the log names for it. */
public record OwnedTransaction(String txId, Owner owner) {}
