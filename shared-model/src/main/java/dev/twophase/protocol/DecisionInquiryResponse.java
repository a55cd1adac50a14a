package dev.twophase.protocol;

/** The coordinator's answer to {@code GET /api/transactions/{txId}/decision}. */
public record DecisionInquiryResponse(String txId, InquiryAnswer decision) {}
