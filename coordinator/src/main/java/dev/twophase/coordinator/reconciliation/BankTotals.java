package dev.twophase.coordinator.reconciliation;

import java.math.BigDecimal;

/**
 * The net amount a window's committed transactions moved at one bank (credits minus debits), by each side's log, and
 * how many committed transactions each side counted. Equal on both sides when the books agree.
 */
public record BankTotals(
        String bankId, BigDecimal netHere, BigDecimal netThere, long committedHere, long committedThere) {

    public boolean agree() {
        return netHere.compareTo(netThere) == 0 && committedHere == committedThere;
    }
}
