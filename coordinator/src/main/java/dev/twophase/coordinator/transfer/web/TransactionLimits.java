package dev.twophase.coordinator.transfer.web;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code twophase.transactions.*}: how many legs one transaction may have (default in application.yml: 16). */
@ConfigurationProperties("twophase.transactions")
public record TransactionLimits(int maxLegs) {

    public TransactionLimits {
        if (maxLegs < 2) {
            throw new IllegalArgumentException("twophase.transactions.max-legs must be at least 2, not " + maxLegs);
        }
    }
}
