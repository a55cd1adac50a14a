package dev.twophase.conformance;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** One HTTP exchange with the participant: what was sent and what came back, for rules to judge and reports to show. */
public record Reply(String sent, int status, String body) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The answer as JSON, or a missing node when it is not JSON. */
    public JsonNode json() {
        try {
            return body == null || body.isBlank() ? JSON.missingNode() : JSON.readTree(body);
        } catch (RuntimeException e) {
            return JSON.missingNode();
        }
    }

    /** A text field of the JSON answer, or null. */
    public String text(String field) {
        JsonNode node = json().path(field);
        return node.isString() ? node.asString() : null;
    }

    /** "sent …, got STATUS body", the evidence a failed rule prints. */
    public String evidence() {
        return "sent " + sent + "; got " + status + " " + abbreviate(body);
    }

    private static String abbreviate(String text) {
        if (text == null || text.isBlank()) {
            return "(no body)";
        }
        String oneLine = text.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= 300 ? oneLine : oneLine.substring(0, 300) + "…";
    }
}
