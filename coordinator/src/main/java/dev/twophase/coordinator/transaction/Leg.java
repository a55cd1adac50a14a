package dev.twophase.coordinator.transaction;

import dev.twophase.protocol.Money;
import dev.twophase.protocol.Operation;
import java.math.BigDecimal;

/**
 * One account's part of a transaction: {@code amount} is signed, negative for a debit and positive for a credit, at
 * scale 2. The legs of a transaction sum to exactly zero.
 */
public record Leg(String bank, String account, BigDecimal amount) {

    public Leg {
        if (amount.signum() == 0) {
            throw new IllegalArgumentException("a leg moves money: " + bank + "/" + account + " has amount 0");
        }
    }

    public static Leg debit(String bank, String account, BigDecimal amount) {
        return new Leg(bank, account, amount.negate());
    }

    public static Leg credit(String bank, String account, BigDecimal amount) {
        return new Leg(bank, account, amount);
    }

    public boolean isDebit() {
        return amount.signum() < 0;
    }

    /** What the leg's bank is asked to do with the account. */
    public Operation operation() {
        return isDebit() ? Operation.debit(account, amount.negate()) : Operation.credit(account, amount);
    }

    /** "bank-a/alice -40.00". */
    @Override
    public String toString() {
        return bank + "/" + account + " " + Money.format(amount);
    }
}
