package dev.twophase.conformance;

import static dev.twophase.conformance.RuleContext.expectState;
import static dev.twophase.conformance.RuleContext.expectStatus;
import static dev.twophase.conformance.RuleContext.expectVote;

import dev.twophase.protocol.Decision;
import java.util.List;

/** Commit and abort (protocol.md, "Commit", "Abort"): applied once, never contradicted, tombstones honoured. */
final class PhaseTwoRules {

    private PhaseTwoRules() {}

    static List<Rule> all() {
        return List.of(
                Rule.of(
                        "commit.applies-once",
                        "a commit applies the operations once, however often it is repeated",
                        "Commit",
                        PhaseTwoRules::commitAppliesOnce),
                Rule.of(
                        "abort.releases-once",
                        "an abort releases the holds once, however often it is repeated",
                        "Abort",
                        PhaseTwoRules::abortReleasesOnce),
                Rule.of(
                        "commit.refused-after-abort",
                        "a commit after an abort is refused with 409 and changes nothing",
                        "Commit",
                        PhaseTwoRules::commitRefusedAfterAbort),
                Rule.of(
                        "abort.refused-after-commit",
                        "an abort after a commit is refused with 409 and changes nothing",
                        "Abort",
                        PhaseTwoRules::abortRefusedAfterCommit),
                Rule.of(
                        "commit.unknown-transaction-404",
                        "a commit for a transaction never prepared is answered 404 and changes nothing",
                        "Commit",
                        PhaseTwoRules::commitOfUnknownTransaction),
                Rule.of(
                        "abort.before-prepare-leaves-tombstone",
                        "an abort before the prepare is acknowledged and makes the late prepare vote NO ALREADY_ABORTED",
                        "Abort",
                        PhaseTwoRules::abortBeforePrepareLeavesTombstone));
    }

    static void commitAppliesOnce(RuleContext context) {
        Participant participant = context.participant();
        TestAccounts accounts = context.accounts();
        AccountSnapshot debit = participant.account(accounts.debit());
        AccountSnapshot credit = participant.account(accounts.credit());
        String txId = prepared(context, "4.00");
        context.decide(txId, Decision.COMMIT);
        for (int i = 0; i < 3; i++) {
            expectState(participant.commit(txId), "COMMITTED");
        }
        context.expectAccount(debit.plus("-4.00", "0"), "a commit of a 4.00 transfer sent three times");
        context.expectAccount(credit.plus("4.00", "0"), "a commit of a 4.00 transfer sent three times");
    }

    static void abortReleasesOnce(RuleContext context) {
        Participant participant = context.participant();
        AccountSnapshot debit = participant.account(context.accounts().debit());
        AccountSnapshot credit = participant.account(context.accounts().credit());
        String txId = prepared(context, "4.00");
        context.decide(txId, Decision.ABORT);
        for (int i = 0; i < 3; i++) {
            expectState(participant.abort(txId), "ABORTED");
        }
        context.expectAccount(debit, "an abort of a prepared 4.00 transfer sent three times");
        context.expectAccount(credit, "an abort of a prepared 4.00 transfer sent three times");
    }

    static void commitRefusedAfterAbort(RuleContext context) {
        Participant participant = context.participant();
        AccountSnapshot debit = participant.account(context.accounts().debit());
        AccountSnapshot credit = participant.account(context.accounts().credit());
        String txId = prepared(context, "4.00");
        context.decide(txId, Decision.ABORT);
        expectState(participant.abort(txId), "ABORTED");
        expectStatus(participant.commit(txId), 409, "a commit contradicting an abort is a conflict");
        context.expectAccount(debit, "an abort, then a commit of the same transaction");
        context.expectAccount(credit, "an abort, then a commit of the same transaction");
    }

    static void abortRefusedAfterCommit(RuleContext context) {
        Participant participant = context.participant();
        AccountSnapshot debit = participant.account(context.accounts().debit());
        AccountSnapshot credit = participant.account(context.accounts().credit());
        String txId = prepared(context, "4.00");
        context.decide(txId, Decision.COMMIT);
        expectState(participant.commit(txId), "COMMITTED");
        expectStatus(participant.abort(txId), 409, "an abort contradicting a commit is a conflict");
        context.expectAccount(debit.plus("-4.00", "0"), "a commit of 4.00, then an abort of the same transaction");
        context.expectAccount(credit.plus("4.00", "0"), "a commit of 4.00, then an abort of the same transaction");
    }

    static void commitOfUnknownTransaction(RuleContext context) {
        Participant participant = context.participant();
        String txId = context.newTxId();
        expectStatus(participant.commit(txId), 404, "the bank never prepared it");
        String state = participant.stateOf(txId);
        if (!state.equals("(none)")) {
            throw new RuleBroken("a commit of an unknown transaction left a record in state " + state);
        }
    }

    static void abortBeforePrepareLeavesTombstone(RuleContext context) {
        Participant participant = context.participant();
        TestAccounts accounts = context.accounts();
        AccountSnapshot debit = participant.account(accounts.debit());
        String txId = context.newTxId();
        context.decide(txId, Decision.ABORT);
        expectState(participant.abort(txId), "ABORTED");
        expectVote(
                participant.prepare(
                        txId, List.of(Leg.debit(accounts.debit(), "2.00"), Leg.credit(accounts.credit(), "2.00"))),
                "NO",
                "ALREADY_ABORTED");
        context.expectAccount(debit, "an abort, then a late prepare of the same transaction");
    }

    /** A new transaction debiting {@code amount} from the debit account and crediting it to the other, voted YES. */
    static String prepared(RuleContext context, String amount) {
        TestAccounts accounts = context.accounts();
        String txId = context.newTxId();
        context.preparing(txId);
        expectVote(
                context.participant()
                        .prepare(
                                txId,
                                List.of(Leg.debit(accounts.debit(), amount), Leg.credit(accounts.credit(), amount))),
                "YES",
                null);
        return txId;
    }
}
