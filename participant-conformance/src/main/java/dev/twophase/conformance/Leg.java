package dev.twophase.conformance;

import dev.twophase.protocol.OperationType;
import java.math.BigDecimal;

/** One operation of a prepare, as the kit sends it. */
public record Leg(String account, OperationType type, BigDecimal amount) {

    public static Leg debit(String account, String amount) {
        return new Leg(account, OperationType.DEBIT, new BigDecimal(amount));
    }

    public static Leg credit(String account, String amount) {
        return new Leg(account, OperationType.CREDIT, new BigDecimal(amount));
    }
}
