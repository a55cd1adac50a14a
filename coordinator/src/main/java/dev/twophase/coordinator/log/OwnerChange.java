package dev.twophase.coordinator.log;

import java.time.Instant;

/** A transaction that changed hands in a takeover: for its timeline. */
public record OwnerChange(String txId, String takeoverId, Owner from, Owner to, Instant at) {}
