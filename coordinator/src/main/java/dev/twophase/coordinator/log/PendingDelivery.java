package dev.twophase.coordinator.log;

import dev.twophase.protocol.Decision;

/** A decision one bank has not acknowledged yet. */
public record PendingDelivery(String txId, String bankId, Decision decision, int attempts) {}
