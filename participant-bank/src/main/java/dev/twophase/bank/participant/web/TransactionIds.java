package dev.twophase.bank.participant.web;

import dev.twophase.web.InvalidField;
import java.util.regex.Pattern;

/** The shape of a transaction id on the participant protocol. */
final class TransactionIds {

    private static final Pattern TX_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private TransactionIds() {}

    /** @throws InvalidField naming {@code txId} unless it is 1-64 letters, digits, '_' or '-' */
    static String valid(String txId) {
        if (txId == null || !TX_ID.matcher(txId).matches()) {
            throw new InvalidField("txId", "must be 1-64 letters, digits, '_' or '-'");
        }
        return txId;
    }
}
