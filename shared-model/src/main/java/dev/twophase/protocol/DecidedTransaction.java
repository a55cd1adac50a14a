package dev.twophase.protocol;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One transaction a participant decided, as much of it as reconciliation compares ({@link DecisionsPage}).
 *
 * @param state COMMITTED or ABORTED (an abort tombstone included)
 * @param net the credits minus the debits of its operations at this participant: what a committed one moved here
 *     (what an aborted one would have moved; 0 for a tombstone, which has no operations)
 */
public record DecidedTransaction(String txId, ParticipantState state, Instant decidedAt, BigDecimal net) {}
