package dev.twophase.conformance;

import dev.twophase.protocol.Decision;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Decision inquiry (protocol.md, "Decision inquiry"): a participant left PREPARED without a decision asks the
 * coordinator — here the kit, on {@code --coordinator-port} — with a correctly signed inquiry, keeps waiting while the
 * answer is PENDING, and applies COMMIT or ABORT exactly as if it had been delivered. It never decides alone.
 */
final class InquiryRules {

    private static final String SECTION = "Decision inquiry";

    private InquiryRules() {}

    static List<Rule> all() {
        return List.of(
                new Rule(
                        "inquiry.asks-waits-and-applies-commit",
                        "left PREPARED it asks, signed; stays PREPARED while the answer is PENDING; applies COMMIT",
                        SECTION,
                        Rule.Needs.INQUIRIES,
                        InquiryRules::asksWaitsAndAppliesCommit),
                new Rule(
                        "inquiry.applies-abort",
                        "left PREPARED it asks and applies the answer ABORT, releasing its holds",
                        SECTION,
                        Rule.Needs.INQUIRIES,
                        InquiryRules::appliesAbort));
    }

    static void asksWaitsAndAppliesCommit(RuleContext context) throws InterruptedException {
        Participant participant = context.participant();
        AccountSnapshot debit = participant.account(context.accounts().debit());
        AccountSnapshot credit = participant.account(context.accounts().credit());
        String txId = PhaseTwoRules.prepared(context, "3.00");
        KitCoordinator coordinator = context.coordinator();
        awaitOrBreak(
                context.inquiryWait(),
                () -> !coordinator.inquiriesAbout(txId).isEmpty(),
                "no inquiry about " + txId + " arrived within "
                        + context.inquiryWait().toSeconds()
                        + " s of its YES (is the participant configured to ask http://127.0.0.1:" + coordinator.port()
                        + "?)");
        expectSignedBy(coordinator, txId);
        String state = participant.stateOf(txId);
        if (!state.equals("PREPARED")) {
            throw new RuleBroken("answered PENDING, the participant moved " + txId + " to " + state
                    + " instead of waiting (a participant never decides alone)");
        }
        context.decide(txId, Decision.COMMIT);
        awaitOrBreak(
                context.inquiryWait(),
                () -> participant.stateOf(txId).equals("COMMITTED"),
                "answered COMMIT, " + txId + " is still " + participant.stateOf(txId) + " after "
                        + context.inquiryWait().toSeconds() + " s");
        expectSignedBy(coordinator, txId);
        context.expectAccount(debit.plus("-3.00", "0"), "the answer COMMIT to an inquiry about a 3.00 transfer");
        context.expectAccount(credit.plus("3.00", "0"), "the answer COMMIT to an inquiry about a 3.00 transfer");
    }

    static void appliesAbort(RuleContext context) throws InterruptedException {
        Participant participant = context.participant();
        AccountSnapshot debit = participant.account(context.accounts().debit());
        String txId = PhaseTwoRules.prepared(context, "3.00");
        context.decide(txId, Decision.ABORT);
        awaitOrBreak(
                context.inquiryWait(),
                () -> participant.stateOf(txId).equals("ABORTED"),
                "the kit's answer ABORT was not applied to " + txId + " within "
                        + context.inquiryWait().toSeconds() + " s (it is " + participant.stateOf(txId) + ")");
        KitCoordinator coordinator = context.coordinator();
        if (coordinator.inquiriesAbout(txId).isEmpty()) {
            throw new RuleBroken(
                    txId + " was aborted without asking the coordinator (a participant never decides alone)");
        }
        expectSignedBy(coordinator, txId);
        context.expectAccount(debit, "the answer ABORT to an inquiry about a 3.00 transfer");
    }

    private static void expectSignedBy(KitCoordinator coordinator, String txId) {
        for (KitCoordinator.Inquiry inquiry : coordinator.inquiriesAbout(txId)) {
            if (!inquiry.signedCorrectly()) {
                throw new RuleBroken("an inquiry about " + txId + " signed as '" + inquiry.keyId()
                        + "' was refused by the coordinator: " + inquiry.rejection());
            }
        }
    }

    /** Polls the participant (whose timers the kit cannot signal) until {@code condition} or the wait is over. */
    static void awaitOrBreak(Duration wait, BooleanSupplier condition, String failure) throws InterruptedException {
        Instant deadline = Instant.now().plus(wait);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new RuleBroken(failure);
            }
            Thread.sleep(100);
        }
    }
}
