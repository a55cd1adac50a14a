package dev.twophase.coordinator.log;

import java.time.Instant;

/** One failed delivery of a decision to a bank, kept for the transaction's timeline. */
public record DeliveryFailure(String txId, String bankId, int attempt, Instant failedAt, String error) {}
