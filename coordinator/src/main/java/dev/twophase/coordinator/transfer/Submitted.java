package dev.twophase.coordinator.transfer;

import dev.twophase.coordinator.log.TransactionRecord;
import dev.twophase.coordinator.transaction.Outcome;

/** A submitted transfer: what the client is told, and the transaction as the log holds it (at the decision or later). */
public record Submitted(Outcome outcome, TransactionRecord record) {}
