package dev.twophase.conformance;

import static dev.twophase.conformance.RuleContext.expectState;

import dev.twophase.protocol.Decision;
import java.util.List;

/**
 * What survives a crash (protocol.md, rules 1, 3 and 5): a YES is a durable promise — the transaction and its holds
 * are there after kill -9 — and a commit once acknowledged is not applied again after a restart. Run only when the
 * kit is given commands that kill the participant (as kill -9 does) and start it again.
 */
final class DurabilityRules {

    private static final String SECTION = "Rules both sides keep";

    private DurabilityRules() {}

    static List<Rule> all() {
        return List.of(
                new Rule(
                        "durability.prepared-survives-kill",
                        "a prepared transaction and its holds survive kill -9, and commit afterwards",
                        SECTION,
                        Rule.Needs.RESTARTS,
                        DurabilityRules::preparedSurvivesKill),
                new Rule(
                        "durability.commit-not-reapplied",
                        "a committed transaction is not applied again when the commit is repeated after kill -9",
                        SECTION,
                        Rule.Needs.RESTARTS,
                        DurabilityRules::commitNotReapplied));
    }

    static void preparedSurvivesKill(RuleContext context) throws InterruptedException {
        Participant participant = context.participant();
        AccountSnapshot debit = participant.account(context.accounts().debit());
        AccountSnapshot credit = participant.account(context.accounts().credit());
        String txId = PhaseTwoRules.prepared(context, "6.00");
        context.restarts().killAndStart(participant);
        String state = participant.stateOf(txId);
        if (!state.equals("PREPARED")) {
            throw new RuleBroken("after kill -9 and a restart, " + txId + " (voted YES) is " + state);
        }
        context.expectAccount(debit.plus("0", "6.00"), "a YES to a debit of 6.00, kill -9 and a restart");
        context.decide(txId, Decision.COMMIT);
        expectState(participant.commit(txId), "COMMITTED");
        context.expectAccount(debit.plus("-6.00", "0"), "the commit after the restart");
        context.expectAccount(credit.plus("6.00", "0"), "the commit after the restart");
    }

    static void commitNotReapplied(RuleContext context) throws InterruptedException {
        Participant participant = context.participant();
        AccountSnapshot debit = participant.account(context.accounts().debit());
        AccountSnapshot credit = participant.account(context.accounts().credit());
        String txId = PhaseTwoRules.prepared(context, "5.00");
        context.decide(txId, Decision.COMMIT);
        expectState(participant.commit(txId), "COMMITTED");
        context.restarts().killAndStart(participant);
        expectState(participant.commit(txId), "COMMITTED");
        context.expectAccount(debit.plus("-5.00", "0"), "a commit of 5.00, kill -9, a restart and the commit again");
        context.expectAccount(credit.plus("5.00", "0"), "a commit of 5.00, kill -9, a restart and the commit again");
    }
}
