package dev.twophase.conformance;

import java.math.BigDecimal;
import java.util.UUID;

/**
 * The accounts the rules move money between: opened fresh through the bank API ({@code --open-accounts}), or two
 * the bank's team names, the first holding at least {@link #NEEDED} available. Every rule moves at most a few units
 * and commits little, so the same two serve all rules.
 */
public final class TestAccounts {

    /** What the debit account must have available: the rules reserve up to this much at once. */
    public static final BigDecimal NEEDED = new BigDecimal("100.00");

    private final String debit;
    private final String credit;

    private TestAccounts(String debit, String credit) {
        this.debit = debit;
        this.credit = credit;
    }

    /** Opens a debit account holding {@link #NEEDED} and an empty credit account, with fresh ids. */
    public static TestAccounts open(Participant participant) {
        String prefix = "conf-" + UUID.randomUUID().toString().substring(0, 8);
        String debit = prefix + "-debit";
        String credit = prefix + "-credit";
        RuleContext.expectStatus(participant.openAccount(debit, NEEDED), 201, "POST /api/accounts opens an account");
        RuleContext.expectStatus(
                participant.openAccount(credit, BigDecimal.ZERO), 201, "POST /api/accounts opens an account");
        return new TestAccounts(debit, credit);
    }

    /** The bank's own two accounts; the debit one is checked to hold enough. */
    public static TestAccounts given(Participant participant, String debit, String credit) {
        AccountSnapshot account = participant.account(debit);
        BigDecimal available = account.balance().subtract(account.held());
        if (available.compareTo(NEEDED) < 0) {
            throw new IllegalArgumentException("--debit-account=" + debit + " has " + available.toPlainString()
                    + " available; the kit needs at least " + NEEDED.toPlainString());
        }
        participant.account(credit);
        return new TestAccounts(debit, credit);
    }

    public String debit() {
        return debit;
    }

    public String credit() {
        return credit;
    }

    /** An id no account has. */
    public String unknown() {
        return "conf-no-such-account-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
