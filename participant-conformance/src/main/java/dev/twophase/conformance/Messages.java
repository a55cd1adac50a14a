package dev.twophase.conformance;

import java.util.List;
import java.util.stream.Collectors;

/** The JSON bodies the kit sends, written out as protocol.md shows them (so a report shows exactly those bytes). */
final class Messages {

    private Messages() {}

    static String prepare(List<Leg> operations) {
        return "{\"operations\":" + operations(operations) + "}";
    }

    static String operations(List<Leg> operations) {
        return operations.stream()
                .map(leg -> "{\"account\":\"" + leg.account() + "\",\"type\":\"" + leg.type() + "\",\"amount\":\""
                        + leg.amount().toPlainString() + "\"}")
                .collect(Collectors.joining(",", "[", "]"));
    }

    static String batchedPrepare(String txId, List<Leg> operations) {
        return "{\"txId\":\"" + txId + "\",\"type\":\"PREPARE\",\"operations\":" + operations(operations) + "}";
    }

    static String batchedDecision(String txId, String type) {
        return "{\"txId\":\"" + txId + "\",\"type\":\"" + type + "\"}";
    }

    static String batch(List<String> messages) {
        return "{\"messages\":[" + String.join(",", messages) + "]}";
    }
}
