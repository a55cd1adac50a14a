package dev.twophase.bank.account.web;

import dev.twophase.bank.account.Account;
import dev.twophase.protocol.Money;

/** An account as the bank API shows it: every amount a decimal string. */
record AccountView(String id, String balance, String held, String available) {

    static AccountView of(Account account) {
        return new AccountView(
                account.id(),
                Money.format(account.balance()),
                Money.format(account.held()),
                Money.format(account.available()));
    }
}
