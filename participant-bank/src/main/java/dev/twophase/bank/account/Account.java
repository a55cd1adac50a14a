package dev.twophase.bank.account;

import java.math.BigDecimal;

/** An account's money: {@code held} is reserved by prepared, undecided transfers and cannot be spent twice. */
public record Account(String id, BigDecimal balance, BigDecimal held) {

    public BigDecimal available() {
        return balance.subtract(held);
    }
}
