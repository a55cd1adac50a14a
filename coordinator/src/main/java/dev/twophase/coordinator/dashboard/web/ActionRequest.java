package dev.twophase.coordinator.dashboard.web;

import dev.twophase.protocol.Decision;

/**
 * An operator action as the page sends it: {@code reason} is always required (it goes to the audit log with the
 * logged-in user's name); {@code bankId} and {@code decision} only for a heuristic decision.
 */
record ActionRequest(String reason, String bankId, Decision decision) {}
