package dev.twophase.bank.security;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The bank's secrets; defaults are in application.yml. Left unconfigured, each is generated on first start into the
 * data directory and shown once (README, "Secrets").
 */
@ConfigurationProperties("twophase.security")
public record BankSecurityProperties(
        /* Shared with the coordinator (its twophase.security.protocol-secrets.<this bank>): signs both ways. */
        String protocolSecret,
        /* Operators allowed to order a heuristic decision here directly (HTTP Basic), by name: password. */
        Map<String, String> operators,
        /* How far a signed message's timestamp may be from this clock. */
        Duration signatureWindow,
        /* The largest request body accepted (413 beyond). */
        int maxBodyBytes) {

    public BankSecurityProperties {
        operators = operators == null ? Map.of() : Map.copyOf(operators);
    }
}
