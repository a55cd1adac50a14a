package dev.twophase.coordinator.security;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The coordinator's secrets and limits; every default is in application.yml. A secret left unconfigured is generated
 * on first start into the data directory and shown once (the local run); production configures them all (README,
 * "Secrets").
 */
@ConfigurationProperties("twophase.security")
public record SecurityProperties(
        /* API key of each client of the transfer API, by client id. */
        Map<String, String> apiKeys,
        /* The secret shared with each bank for signing protocol messages, by bank id. */
        Map<String, String> protocolSecrets,
        /* Dashboard users, by user name. */
        Map<String, Operator> operators,
        /* How far a signed message's timestamp may be from this clock. */
        Duration signatureWindow,
        Limits limits) {

    public SecurityProperties {
        apiKeys = apiKeys == null ? Map.of() : Map.copyOf(apiKeys);
        protocolSecrets = protocolSecrets == null ? Map.of() : Map.copyOf(protocolSecrets);
        operators = operators == null ? Map.of() : Map.copyOf(operators);
    }

    /** A dashboard user: a password and one role. */
    public record Operator(String password, Role role) {}

    /** What a dashboard user may do. */
    public enum Role {
        /** Sees every panel; cannot act. */
        VIEWER,
        /** Sees every panel and may retry, abort and decide heuristically. */
        OPERATOR
    }

    /**
     * Overload turns into fast refusals: each client may start {@code transfersPerSecond} transfers a second (429
     * beyond), and at most {@code maxInFlightTransfers} run at once in all (503 beyond). No request body may be larger
     * than {@code maxBodyBytes} (413), and no transfer larger than {@code maxTransferAmount} (400).
     */
    public record Limits(
            int transfersPerSecond, int maxInFlightTransfers, int maxBodyBytes, BigDecimal maxTransferAmount) {}
}
