package dev.twophase.coordinator.participant;

import dev.twophase.coordinator.config.CoordinatorProperties;
import dev.twophase.web.failure.FailureWords;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Why a call to a bank failed, in words an operator reads on the dashboard and in a transaction's timeline
 * ({@link FailureWords}), with one case only the coordinator knows: its own circuit breaker refused the call,
 * "circuit open since 02:26:19" (UTC), so it is clear that the bank was not even asked.
 */
@Component
public class BankFailures {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    private final Duration decisionTimeout;
    private final Map<String, Instant> openedAt = new ConcurrentHashMap<>();

    BankFailures(CircuitBreakerRegistry breakers, CoordinatorProperties properties, Clock clock) {
        this.decisionTimeout = properties.decisionTimeout();
        for (String bank : properties.participants().keySet()) {
            breakers.circuitBreaker(bank).getEventPublisher().onStateTransition(event -> {
                if (event.getStateTransition().getToState() == CircuitBreaker.State.OPEN) {
                    openedAt.put(bank, clock.instant());
                }
            });
        }
    }

    /** A failed delivery of a decision (or any call with the decision timeout) to {@code bank}. */
    public FailureWords describe(String bank, Throwable failure) {
        return describe(bank, failure, decisionTimeout);
    }

    /** A failed call to {@code bank} whose limit was {@code timeout}. */
    public FailureWords describe(String bank, Throwable failure, Duration timeout) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof CallNotPermittedException) {
                Instant opened = openedAt.get(bank);
                String words = opened == null
                        ? "circuit open: not called after repeated failures"
                        : "circuit open since " + TIME.format(opened) + " UTC: not called after repeated failures";
                return new FailureWords(words, failure.toString());
            }
        }
        return FailureWords.describe(failure, timeout);
    }
}
