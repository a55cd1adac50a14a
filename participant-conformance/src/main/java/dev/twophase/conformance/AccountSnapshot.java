package dev.twophase.conformance;

import java.math.BigDecimal;

/** An account's balance and held amount at one moment; compared by value, whatever the scale the bank writes. */
public record AccountSnapshot(String id, BigDecimal balance, BigDecimal held) {

    /** Whether {@code other} shows the same amounts. */
    public boolean sameAs(AccountSnapshot other) {
        return balance.compareTo(other.balance) == 0 && held.compareTo(other.held) == 0;
    }

    /** This account after {@code balanceChange} and {@code heldChange}. */
    public AccountSnapshot plus(String balanceChange, String heldChange) {
        return new AccountSnapshot(
                id, balance.add(new BigDecimal(balanceChange)), held.add(new BigDecimal(heldChange)));
    }

    @Override
    public String toString() {
        return id + " balance " + balance.toPlainString() + " held " + held.toPlainString();
    }
}
