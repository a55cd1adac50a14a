package dev.twophase.protocol;

/**
 * An operator's order to decide one in-doubt transaction at one bank without the coordinator: the last resort when
 * the coordinator has lost the transaction or is gone for good. {@code operator} says who, {@code reason} why; both
 * are kept with the outcome, which stays flagged as heuristic for good.
 */
public record HeuristicDecisionRequest(Decision decision, String operator, String reason) {}
