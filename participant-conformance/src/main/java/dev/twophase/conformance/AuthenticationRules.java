package dev.twophase.conformance;

import static dev.twophase.conformance.RuleContext.expectState;
import static dev.twophase.conformance.RuleContext.expectStatus;
import static dev.twophase.conformance.RuleContext.expectVote;

import dev.twophase.protocol.Decision;
import dev.twophase.protocol.ProtocolPaths;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Signed messages (protocol.md, "Authentication"): a message that is not signed by the coordinator with the shared
 * secret, now and once, is refused with 401 before it reaches the participant's logic, so it changes nothing — not
 * even a tombstone: the same transaction id prepared properly afterwards still gets its YES.
 */
final class AuthenticationRules {

    private static final String SECTION = "Authentication";

    private AuthenticationRules() {}

    static List<Rule> all() {
        return List.of(
                refused(
                        "auth.unsigned-refused",
                        "an unsigned prepare is refused with 401 and changes nothing",
                        Signing.UNSIGNED),
                refused(
                        "auth.wrong-secret-refused",
                        "a prepare signed with another secret is refused with 401 and changes nothing",
                        Signing.WRONG_SECRET),
                refused(
                        "auth.unknown-signer-refused",
                        "a prepare signed by an unknown key id is refused with 401 and changes nothing",
                        Signing.UNKNOWN_SIGNER),
                refused(
                        "auth.tampered-refused",
                        "a prepare whose body changed after signing is refused with 401 and changes nothing",
                        Signing.TAMPERED),
                refused(
                        "auth.stale-refused",
                        "a prepare signed ten minutes ago is refused with 401 and changes nothing",
                        Signing.STALE),
                Rule.of(
                        "auth.unsigned-decision-refused",
                        "an unsigned commit of a prepared transaction is refused with 401; it stays PREPARED",
                        SECTION,
                        AuthenticationRules::unsignedDecisionRefused),
                Rule.of(
                        "auth.replay-refused",
                        "a message sent again with the same signature and nonce is refused with 401",
                        SECTION,
                        AuthenticationRules::replayRefused));
    }

    private static Rule refused(String id, String says, Signing signing) {
        return Rule.of(id, says, SECTION, context -> prepareRefused(context, signing));
    }

    static void prepareRefused(RuleContext context, Signing signing) {
        Participant participant = context.participant();
        TestAccounts accounts = context.accounts();
        AccountSnapshot debit = participant.account(accounts.debit());
        String txId = context.newTxId();
        List<Leg> operations = List.of(Leg.debit(accounts.debit(), "1.00"), Leg.credit(accounts.credit(), "1.00"));
        String path = ProtocolPaths.PREPARE.replace("{txId}", txId);
        expectStatus(
                participant.post(path, Messages.prepare(operations), signing),
                401,
                "the message is " + signing.name().toLowerCase().replace('_', ' '));
        context.expectAccount(debit, "a refused prepare of 1.00");
        String state = participant.stateOf(txId);
        if (!state.equals("(none)")) {
            throw new RuleBroken("a refused prepare left a record in state " + state);
        }
        context.preparing(txId);
        expectVote(participant.prepare(txId, operations), "YES", null);
        PhaseOneRules.abortAndExpectReleased(context, txId, debit);
    }

    static void unsignedDecisionRefused(RuleContext context) {
        Participant participant = context.participant();
        AccountSnapshot debit = participant.account(context.accounts().debit());
        String txId = PhaseTwoRules.prepared(context, "1.00");
        expectStatus(
                participant.post(ProtocolPaths.COMMIT.replace("{txId}", txId), "", Signing.UNSIGNED),
                401,
                "the commit is not signed");
        String state = participant.stateOf(txId);
        if (!state.equals("PREPARED")) {
            throw new RuleBroken("an unsigned commit moved the transaction to " + state);
        }
        context.expectAccount(debit.plus("0", "1.00"), "an unsigned commit of a prepared 1.00 transfer");
        PhaseOneRules.abortAndExpectReleased(context, txId, debit);
    }

    static void replayRefused(RuleContext context) {
        Participant participant = context.participant();
        AccountSnapshot debit = participant.account(context.accounts().debit());
        String txId = PhaseTwoRules.prepared(context, "1.00");
        context.decide(txId, Decision.ABORT);
        String path = ProtocolPaths.ABORT.replace("{txId}", txId);
        Map<String, String> headers =
                participant.signatureHeaders("POST", path, "".getBytes(StandardCharsets.UTF_8), Signing.VALID);
        expectState(participant.send("POST", path, "", headers), "ABORTED");
        expectStatus(participant.send("POST", path, "", headers), 401, "the same nonce was used before");
        context.expectAccount(debit, "an abort and its replay");
    }
}
