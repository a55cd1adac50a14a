package dev.twophase.conformance;

import static dev.twophase.conformance.RuleContext.expectVote;

import dev.twophase.protocol.Decision;
import java.math.BigDecimal;
import java.util.List;

/** Prepare and the vote (protocol.md, "Prepare"): what a YES reserves, what a NO leaves, what a repeat answers. */
final class PhaseOneRules {

    private static final String SECTION = "Prepare";

    private PhaseOneRules() {}

    static List<Rule> all() {
        return List.of(
                Rule.of(
                        "prepare.yes-holds-exactly-the-debits",
                        "a YES vote reserves exactly the debits as held; credits wait for the commit",
                        SECTION,
                        PhaseOneRules::yesHoldsExactlyTheDebits),
                Rule.of(
                        "prepare.no-for-insufficient-funds",
                        "a debit beyond what is available gets NO INSUFFICIENT_FUNDS and holds nothing",
                        SECTION,
                        PhaseOneRules::noForInsufficientFunds),
                Rule.of(
                        "prepare.no-for-unknown-account",
                        "an operation on an unknown account gets NO UNKNOWN_ACCOUNT and holds nothing",
                        SECTION,
                        PhaseOneRules::noForUnknownAccount),
                Rule.of(
                        "prepare.repeat-returns-first-vote",
                        "a repeated prepare returns the first vote, whatever its body, and moves nothing",
                        SECTION,
                        PhaseOneRules::repeatReturnsFirstVote));
    }

    static void yesHoldsExactlyTheDebits(RuleContext context) {
        Participant participant = context.participant();
        TestAccounts accounts = context.accounts();
        AccountSnapshot debit = participant.account(accounts.debit());
        AccountSnapshot credit = participant.account(accounts.credit());
        String txId = context.newTxId();
        context.preparing(txId);
        expectVote(
                participant.prepare(
                        txId, List.of(Leg.debit(accounts.debit(), "7.00"), Leg.credit(accounts.credit(), "7.00"))),
                "YES",
                null);
        context.expectAccount(debit.plus("0", "7.00"), "a YES to a debit of 7.00");
        context.expectAccount(credit, "a YES to a credit of 7.00 (a credit is applied at commit, not held)");
        abortAndExpectReleased(context, txId, debit);
    }

    static void noForInsufficientFunds(RuleContext context) {
        Participant participant = context.participant();
        TestAccounts accounts = context.accounts();
        AccountSnapshot debit = participant.account(accounts.debit());
        BigDecimal tooMuch = debit.balance().subtract(debit.held()).add(new BigDecimal("1.00"));
        String txId = context.newTxId();
        context.decide(txId, Decision.ABORT);
        expectVote(
                participant.prepare(
                        txId,
                        List.of(
                                Leg.debit(accounts.debit(), tooMuch.toPlainString()),
                                Leg.credit(accounts.credit(), tooMuch.toPlainString()))),
                "NO",
                "INSUFFICIENT_FUNDS");
        context.expectAccount(debit, "a NO for insufficient funds");
    }

    static void noForUnknownAccount(RuleContext context) {
        Participant participant = context.participant();
        TestAccounts accounts = context.accounts();
        AccountSnapshot debit = participant.account(accounts.debit());
        String txId = context.newTxId();
        context.decide(txId, Decision.ABORT);
        expectVote(
                participant.prepare(
                        txId, List.of(Leg.debit(accounts.debit(), "1.00"), Leg.credit(accounts.unknown(), "1.00"))),
                "NO",
                "UNKNOWN_ACCOUNT");
        context.expectAccount(debit, "a NO for an unknown account (the debit beside it must not stay held)");
    }

    static void repeatReturnsFirstVote(RuleContext context) {
        Participant participant = context.participant();
        TestAccounts accounts = context.accounts();
        AccountSnapshot debit = participant.account(accounts.debit());
        String yes = context.newTxId();
        context.preparing(yes);
        expectVote(participant.prepare(yes, List.of(Leg.debit(accounts.debit(), "3.00"))), "YES", null);
        expectVote(participant.prepare(yes, List.of(Leg.debit(accounts.debit(), "5.00"))), "YES", null);
        context.expectAccount(debit.plus("0", "3.00"), "a prepare of 3.00 and its repeat (with another body)");

        String no = context.newTxId();
        context.decide(no, Decision.ABORT);
        BigDecimal tooMuch = debit.balance().add(new BigDecimal("1.00"));
        expectVote(
                participant.prepare(no, List.of(Leg.debit(accounts.debit(), tooMuch.toPlainString()))),
                "NO",
                "INSUFFICIENT_FUNDS");
        expectVote(participant.prepare(no, List.of(Leg.debit(accounts.debit(), "1.00"))), "NO", "INSUFFICIENT_FUNDS");
        context.expectAccount(debit.plus("0", "3.00"), "a repeated prepare that first got NO");
        abortAndExpectReleased(context, yes, debit);
    }

    /** Ends a rule's YES transaction: abort, and the account must be back where it was. */
    static void abortAndExpectReleased(RuleContext context, String txId, AccountSnapshot before) {
        context.decide(txId, Decision.ABORT);
        RuleContext.expectState(context.participant().abort(txId), "ABORTED");
        context.expectAccount(before, "the abort of " + txId);
    }
}
