package dev.twophase.coordinator.dashboard.web;

import dev.twophase.protocol.Decision;

/**
 * An operator action as the page sends it. {@code operator} and {@code reason} are always required;
 * {@code bankId} and {@code decision} only for a heuristic decision.
 */
record ActionRequest(String operator, String reason, String bankId, Decision decision) {}
