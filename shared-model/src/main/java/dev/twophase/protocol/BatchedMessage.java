package dev.twophase.protocol;

import java.util.List;

/**
 * One message of a {@link MessageBatch}: the same message as {@code POST /2pc/transactions/{txId}/<type>} would
 * send. {@code operations} only for PREPARE.
 */
public record BatchedMessage(String txId, MessageType type, List<Operation> operations) {

    public BatchedMessage {
        operations = operations == null ? List.of() : List.copyOf(operations);
    }

    public static BatchedMessage prepare(String txId, List<Operation> operations) {
        return new BatchedMessage(txId, MessageType.PREPARE, operations);
    }

    public static BatchedMessage decision(String txId, Decision decision) {
        return new BatchedMessage(txId, MessageType.of(decision), List.of());
    }
}
