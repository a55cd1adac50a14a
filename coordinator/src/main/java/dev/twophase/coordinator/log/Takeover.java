package dev.twophase.coordinator.log;

import java.time.Instant;

/**
 * One node taking over the unfinished transactions of an owner that holds no lease any more: {@code from} (a node
 * whose lease ran out, or an earlier epoch of a node that has since joined again), {@code by} the node taking them,
 * {@code lastRenewedAt} when {@code from} last renewed its lease (its death, as far as the database saw it; null when
 * unknown), {@code at} when the takeover was made.
 */
public record Takeover(String id, Owner from, Owner by, Instant lastRenewedAt, Instant at) {}
