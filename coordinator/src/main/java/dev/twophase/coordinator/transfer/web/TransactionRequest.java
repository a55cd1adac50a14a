package dev.twophase.coordinator.transfer.web;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.List;
import java.util.Map;

/**
 * The body of POST /api/transactions, as sent; {@link TransactionRequestValidator} turns it into a Transfer of any
 * number of legs. {@code unknownFields} collects anything else, so that the validator can refuse it by name.
 */
record TransactionRequest(List<LegRequest> legs, @JsonAnySetter Map<String, Object> unknownFields) {

    /** One leg as sent: {@code amount} is a signed decimal string, negative for a debit. */
    record LegRequest(String bank, String account, String amount, @JsonAnySetter Map<String, Object> unknownFields) {}
}
