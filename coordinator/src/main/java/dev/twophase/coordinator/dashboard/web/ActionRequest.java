package dev.twophase.coordinator.dashboard.web;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import dev.twophase.protocol.Decision;
import java.util.Map;

/**
 * An operator action as the page sends it: {@code reason} is always required (it goes to the audit log with the
 * logged-in user's name); {@code bankId} and {@code decision} only for a heuristic decision. Anything else is refused
 * by name.
 */
record ActionRequest(
        String reason, String bankId, Decision decision, @JsonAnySetter Map<String, Object> unknownFields) {}
