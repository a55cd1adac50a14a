package dev.twophase.protocol;

import java.math.BigDecimal;

/** One change to one account at one participant. The amount is positive, with at most two fraction digits. */
public record Operation(String account, OperationType type, BigDecimal amount) {

    public static Operation debit(String account, BigDecimal amount) {
        return new Operation(account, OperationType.DEBIT, amount);
    }

    public static Operation credit(String account, BigDecimal amount) {
        return new Operation(account, OperationType.CREDIT, amount);
    }
}
