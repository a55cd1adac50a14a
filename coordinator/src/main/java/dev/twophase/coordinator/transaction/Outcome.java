package dev.twophase.coordinator.transaction;

import dev.twophase.protocol.AbortReason;
import dev.twophase.protocol.TransferStatus;

/** What the client is told about a transaction. */
public record Outcome(String txId, TransferStatus status, AbortReason reason) {}
