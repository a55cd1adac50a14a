package dev.twophase.coordinator.transfer.web;

/** The body of POST /api/transfers, as sent; {@link TransferRequestValidator} turns it into a Transfer. */
record TransferRequest(String fromBank, String fromAccount, String toBank, String toAccount, String amount) {}
