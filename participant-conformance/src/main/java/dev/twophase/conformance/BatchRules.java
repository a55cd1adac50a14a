package dev.twophase.conformance;

import dev.twophase.protocol.Decision;
import java.math.BigDecimal;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Batches (protocol.md, "Batch"): each message in a batch gets what it would have got alone, in order. Batches are
 * optional; a participant that answers 404 or 405 to them does not offer them, and the rule is not run.
 */
final class BatchRules {

    private BatchRules() {}

    static List<Rule> all() {
        return List.of(Rule.of(
                "batch.as-single-messages",
                "each message in a batch is answered, in order, as it would be alone, with the same effect",
                "Batch",
                BatchRules::asSingleMessages));
    }

    /** What one reply of a batch should say. */
    private record Expected(String txId, int status, String vote, String reason, String state) {}

    static void asSingleMessages(RuleContext context) {
        Participant participant = context.participant();
        TestAccounts accounts = context.accounts();
        AccountSnapshot debit = participant.account(accounts.debit());
        AccountSnapshot credit = participant.account(accounts.credit());
        String yes = context.newTxId();
        String tooMuch = context.newTxId();
        String unknown = context.newTxId();
        String tombstone = context.newTxId();
        context.preparing(yes);
        context.decide(tooMuch, Decision.ABORT);
        context.decide(tombstone, Decision.ABORT);
        String overdraft = debit.balance().add(new BigDecimal("1.00")).toPlainString();
        Reply first = participant.batch(Messages.batch(List.of(
                Messages.batchedPrepare(
                        yes, List.of(Leg.debit(accounts.debit(), "2.00"), Leg.credit(accounts.credit(), "2.00"))),
                Messages.batchedPrepare(tooMuch, List.of(Leg.debit(accounts.debit(), overdraft))),
                Messages.batchedDecision(unknown, "COMMIT"),
                Messages.batchedDecision(tombstone, "ABORT"))));
        if (first.status() == 404 || first.status() == 405) {
            throw new NotApplicable("the participant does not offer batches (answered " + first.status() + ")");
        }
        expectReplies(
                first,
                List.of(
                        new Expected(yes, 200, "YES", null, null),
                        new Expected(tooMuch, 200, "NO", "INSUFFICIENT_FUNDS", null),
                        new Expected(unknown, 404, null, null, null),
                        new Expected(tombstone, 200, null, null, "ABORTED")));
        context.expectAccount(debit.plus("0", "2.00"), "a batch holding a prepare of 2.00 and a refused overdraft");

        context.decide(yes, Decision.COMMIT);
        Reply second = participant.batch(Messages.batch(List.of(
                Messages.batchedDecision(yes, "COMMIT"),
                Messages.batchedDecision(yes, "COMMIT"),
                Messages.batchedPrepare(tombstone, List.of(Leg.debit(accounts.debit(), "1.00"))))));
        expectReplies(
                second,
                List.of(
                        new Expected(yes, 200, null, null, "COMMITTED"),
                        new Expected(yes, 200, null, null, "COMMITTED"),
                        new Expected(tombstone, 200, "NO", "ALREADY_ABORTED", null)));
        context.expectAccount(debit.plus("-2.00", "0"), "a batch committing the 2.00 transfer twice");
        context.expectAccount(credit.plus("2.00", "0"), "a batch committing the 2.00 transfer twice");
    }

    private static void expectReplies(Reply reply, List<Expected> expected) {
        RuleContext.expectStatus(reply, 200, "a batch is answered 200 with one reply per message");
        JsonNode replies = reply.json().path("replies");
        if (!replies.isArray() || replies.size() != expected.size()) {
            throw new RuleBroken("expected " + expected.size() + " replies: " + reply.evidence());
        }
        for (int i = 0; i < expected.size(); i++) {
            Expected want = expected.get(i);
            JsonNode got = replies.get(i);
            boolean matches = want.txId().equals(got.path("txId").asString(null))
                    && want.status() == got.path("status").asInt()
                    && (want.vote() == null
                            || want.vote().equals(got.path("vote").asString(null)))
                    && (want.reason() == null
                            || want.reason().equals(got.path("reason").asString(null)))
                    && (want.state() == null
                            || want.state().equals(got.path("state").asString(null)));
            if (!matches) {
                throw new RuleBroken("reply " + i + " should be " + want + ": " + reply.evidence());
            }
        }
    }
}
