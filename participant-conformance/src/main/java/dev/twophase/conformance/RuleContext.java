package dev.twophase.conformance;

import dev.twophase.protocol.Decision;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;

/**
 * What a rule's check works with: the participant, the kit's accounts at it, the kit's coordinator (when it answers
 * inquiries), the participant's restart (when given), and small helpers that turn an unexpected answer into
 * {@link RuleBroken} with the evidence.
 */
public final class RuleContext {

    private final Participant participant;
    private final TestAccounts accounts;
    private final KitCoordinator coordinator;
    private final Restarts restarts;
    private final Duration inquiryWait;

    RuleContext(
            Participant participant,
            TestAccounts accounts,
            KitCoordinator coordinator,
            Restarts restarts,
            Duration inquiryWait) {
        this.participant = participant;
        this.accounts = accounts;
        this.coordinator = coordinator;
        this.restarts = restarts;
        this.inquiryWait = inquiryWait;
    }

    public Participant participant() {
        return participant;
    }

    public TestAccounts accounts() {
        return accounts;
    }

    public KitCoordinator coordinator() {
        return Objects.requireNonNull(coordinator, "this rule needs --coordinator-port");
    }

    public Restarts restarts() {
        return Objects.requireNonNull(restarts, "this rule needs --kill-command and --start-command");
    }

    public Duration inquiryWait() {
        return inquiryWait;
    }

    /** A transaction id never used before: {@code conformance-} and a UUID (within the protocol's 64 characters). */
    public String newTxId() {
        return "conformance-" + UUID.randomUUID();
    }

    /**
     * Writes down the kit's decision before it sends it, as a coordinator logs before it speaks: an inquiry the
     * participant sends meanwhile gets the same answer.
     */
    public void decide(String txId, Decision decision) {
        if (coordinator != null) {
            coordinator.decide(txId, decision);
        }
    }

    /** A transaction the kit is still "collecting votes" for: an inquiry about it is answered PENDING. */
    public void preparing(String txId) {
        if (coordinator != null) {
            coordinator.preparing(txId);
        }
    }

    // ---- expectations: each throws RuleBroken with what was sent and what came back ----

    public static Reply expectStatus(Reply reply, int status, String why) {
        if (reply.status() != status) {
            throw new RuleBroken("expected " + status + " (" + why + "): " + reply.evidence());
        }
        return reply;
    }

    public static Reply expectVote(Reply reply, String vote, String reason) {
        expectStatus(reply, 200, "a vote is a 200 answer");
        if (!vote.equals(reply.text("vote")) || (reason != null && !reason.equals(reply.text("reason")))) {
            throw new RuleBroken("expected vote " + vote + (reason == null ? "" : " with reason " + reason) + ": "
                    + reply.evidence());
        }
        return reply;
    }

    public static Reply expectState(Reply reply, String state) {
        expectStatus(reply, 200, "an acknowledgement is a 200 answer");
        if (!state.equals(reply.text("state"))) {
            throw new RuleBroken("expected state " + state + ": " + reply.evidence());
        }
        return reply;
    }

    /** The account now, which must equal {@code expected}; {@code what} says which exchange should have led there. */
    public AccountSnapshot expectAccount(AccountSnapshot expected, String what) {
        AccountSnapshot now = participant.account(expected.id());
        if (!now.sameAs(expected)) {
            throw new RuleBroken("after " + what + ": expected " + expected + ", the bank API shows " + now);
        }
        return now;
    }

    public static BigDecimal amount(String text) {
        return new BigDecimal(text);
    }
}
