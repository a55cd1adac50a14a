package dev.twophase.conformance;

import static dev.twophase.conformance.RuleContext.expectState;
import static dev.twophase.conformance.RuleContext.expectStatus;

import dev.twophase.protocol.Decision;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Concurrent prepares (protocol.md, "Prepare" and rule 3, "YES is a promise"): prepares that together would overdraw
 * an account never all vote YES; what the YES votes hold never exceeds what was available.
 */
final class ConcurrencyRules {

    private static final int PREPARES = 8;

    private ConcurrencyRules() {}

    static List<Rule> all() {
        return List.of(Rule.of(
                "prepare.concurrent-never-overdraw",
                PREPARES + " prepares at once, each debiting 40% of what is available: at most two vote YES",
                "Prepare",
                ConcurrencyRules::neverOverdraw));
    }

    static void neverOverdraw(RuleContext context) throws Exception {
        Participant participant = context.participant();
        TestAccounts accounts = context.accounts();
        AccountSnapshot debit = participant.account(accounts.debit());
        BigDecimal available = debit.balance().subtract(debit.held());
        BigDecimal each = available.multiply(new BigDecimal("0.40")).setScale(2, RoundingMode.UP);
        List<String> txIds = new ArrayList<>();
        for (int i = 0; i < PREPARES; i++) {
            String txId = context.newTxId();
            context.preparing(txId);
            txIds.add(txId);
        }
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Reply>> votes = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(PREPARES);
        try {
            for (String txId : txIds) {
                votes.add(pool.submit(() -> {
                    start.await();
                    return participant.prepare(txId, List.of(Leg.debit(accounts.debit(), each.toPlainString())));
                }));
            }
            start.countDown();
            List<String> yes = new ArrayList<>();
            for (int i = 0; i < PREPARES; i++) {
                Reply vote = expectStatus(votes.get(i).get(), 200, "a vote is a 200 answer");
                if ("YES".equals(vote.text("vote"))) {
                    yes.add(txIds.get(i));
                }
            }
            if (yes.size() > 2) {
                throw new RuleBroken(yes.size() + " of " + PREPARES + " concurrent prepares of " + each.toPlainString()
                        + " voted YES with " + available.toPlainString() + " available: " + yes);
            }
            if (yes.isEmpty()) {
                throw new RuleBroken("none of " + PREPARES + " concurrent prepares of " + each.toPlainString()
                        + " voted YES although " + available.toPlainString() + " was available");
            }
            BigDecimal held = each.multiply(BigDecimal.valueOf(yes.size()));
            context.expectAccount(
                    debit.plus("0", held.toPlainString()), yes.size() + " YES votes of " + each.toPlainString());
            for (String txId : txIds) {
                context.decide(txId, Decision.ABORT);
                expectState(participant.abort(txId), "ABORTED");
            }
            context.expectAccount(debit, "the abort of every concurrent prepare");
        } finally {
            pool.shutdownNow();
        }
    }
}
