package dev.twophase.protocol;

/**
 * A participant's acknowledgement of commit or abort: {@code state} is its final state for the transaction.
 * Sent only once the decision is durable at the participant; the coordinator may then forget it.
 */
public record DecisionAck(String txId, ParticipantState state) {}
