package dev.twophase.protocol;

import java.util.List;

/** Phase 1: {@code POST /2pc/transactions/{txId}/prepare}. The operations this participant must be able to apply. */
public record PrepareRequest(List<Operation> operations) {

    public PrepareRequest {
        operations = operations == null ? List.of() : List.copyOf(operations);
    }
}
