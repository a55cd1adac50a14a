package dev.twophase.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;

/**
 * Plays the coordinator against a participant and checks it rule by rule (src-docs/conformance.md). From the command
 * line through {@link ConformanceMain}; from a Java bank's tests through {@link #run} or {@link #dynamicTests}:
 *
 * <pre>{@code
 * @TestFactory
 * Stream<DynamicTest> keepsTheTwophaseProtocol() {
 *     return ConformanceKit.dynamicTests(KitSettings.openingAccounts("http://localhost:8081", "bank-x", secret));
 * }
 * }</pre>
 */
public final class ConformanceKit {

    private ConformanceKit() {}

    /** Every rule, in the order the kit checks them: the quick ones first, the ones that wait on timers last. */
    public static List<Rule> rules() {
        List<Rule> rules = new ArrayList<>();
        rules.addAll(PhaseOneRules.all());
        rules.addAll(PhaseTwoRules.all());
        rules.addAll(BatchRules.all());
        rules.addAll(AuthenticationRules.all());
        rules.addAll(ConcurrencyRules.all());
        rules.addAll(InquiryRules.all());
        rules.addAll(DurabilityRules.all());
        return List.copyOf(rules);
    }

    /**
     * Runs every rule (or those in {@code settings.only()}), reporting each result to {@code progress} as it is known.
     *
     * @throws IllegalArgumentException when the kit cannot begin: the accounts cannot be opened or do not hold enough,
     *     or the coordinator port is taken
     */
    public static Report run(KitSettings settings, Consumer<RuleResult> progress) {
        Participant participant = new Participant(settings.participantUrl(), settings.protocolSecret());
        TestAccounts accounts;
        try {
            accounts = settings.opensAccounts()
                    ? TestAccounts.open(participant)
                    : TestAccounts.given(participant, settings.debitAccount(), settings.creditAccount());
        } catch (RuleBroken | UncheckedIOException e) {
            throw new IllegalArgumentException("cannot set up the kit's accounts: " + e.getMessage(), e);
        }
        try (KitCoordinator coordinator = coordinatorFor(settings)) {
            RuleContext context =
                    new RuleContext(participant, accounts, coordinator, settings.restarts(), settings.inquiryWait());
            List<RuleResult> results = new ArrayList<>();
            for (Rule rule : rules()) {
                if (!settings.only().isEmpty() && !settings.only().contains(rule.id())) {
                    continue;
                }
                RuleResult result = check(rule, context, settings);
                results.add(result);
                progress.accept(result);
            }
            return new Report(settings.participantUrl(), results);
        }
    }

    /** One JUnit test per rule: a failed rule fails its test, a rule not run is skipped (an aborted assumption). */
    public static Stream<DynamicTest> dynamicTests(KitSettings settings) {
        Report report = run(settings, result -> {});
        return report.results().stream()
                .map(result -> DynamicTest.dynamicTest(
                        result.rule().id() + ": " + result.rule().says(), () -> {
                            Assumptions.assumeTrue(result.outcome() != RuleResult.Outcome.NOT_RUN, result.detail());
                            if (result.outcome() == RuleResult.Outcome.FAIL) {
                                Assertions.fail(result.detail());
                            }
                        }));
    }

    private static RuleResult check(Rule rule, RuleContext context, KitSettings settings) {
        String missing =
                switch (rule.needs()) {
                    case PARTICIPANT -> null;
                    case INQUIRIES ->
                        settings.coordinatorPort() == null
                                ? "not run: give --coordinator-port and configure the participant to ask there"
                                : null;
                    case RESTARTS ->
                        settings.restarts() == null ? "not run: give --kill-command and --start-command" : null;
                };
        if (missing != null) {
            return new RuleResult(rule, RuleResult.Outcome.NOT_RUN, missing, 0);
        }
        long started = System.nanoTime();
        try {
            rule.check().run(context);
            return new RuleResult(rule, RuleResult.Outcome.PASS, null, millisSince(started));
        } catch (RuleBroken e) {
            return new RuleResult(rule, RuleResult.Outcome.FAIL, e.getMessage(), millisSince(started));
        } catch (NotApplicable e) {
            return new RuleResult(rule, RuleResult.Outcome.NOT_RUN, "not run: " + e.getMessage(), millisSince(started));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new RuleResult(rule, RuleResult.Outcome.FAIL, "interrupted", millisSince(started));
        } catch (Exception e) {
            return new RuleResult(rule, RuleResult.Outcome.FAIL, e.getMessage(), millisSince(started));
        }
    }

    private static KitCoordinator coordinatorFor(KitSettings settings) {
        if (settings.coordinatorPort() == null) {
            return null;
        }
        try {
            return new KitCoordinator(settings.coordinatorPort(), settings.bankId(), settings.protocolSecret());
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    "cannot answer inquiries on 127.0.0.1:" + settings.coordinatorPort() + ": " + e.getMessage(), e);
        }
    }

    private static long millisSince(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }
}
