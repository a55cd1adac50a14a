package dev.twophase.coordinator.transfer.web;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import java.util.Map;

/**
 * The body of POST /api/transfers, as sent; {@link TransferRequestValidator} turns it into a Transfer.
 * {@code unknownFields} collects anything else the body held, so that the validator can refuse it by name.
 */
record TransferRequest(
        String fromBank,
        String fromAccount,
        String toBank,
        String toAccount,
        String amount,
        @JsonAnySetter Map<String, Object> unknownFields) {}
