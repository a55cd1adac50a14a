package dev.twophase.coordinator.security;

import dev.twophase.coordinator.config.CoordinatorProperties;
import dev.twophase.security.GeneratedSecrets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The secrets the coordinator runs with: each one as configured, or else generated once into the data directory.
 * What this start generated is shown once on standard output (not through the logger), with where it is kept.
 * Nothing else ever prints, logs or returns a secret.
 */
@Component
public class Secrets {

    private final Map<String, String> apiKeys;
    private final Map<String, String> protocolSecrets;
    private final Map<String, SecurityProperties.Operator> operators;

    Secrets(SecurityProperties security, CoordinatorProperties properties) {
        GeneratedSecrets generated = GeneratedSecrets.in(properties.dataDir());
        this.apiKeys = security.apiKeys().isEmpty()
                ? Map.of("local", generated.getOrGenerate("api-key.local"))
                : security.apiKeys();
        Map<String, String> protocol = new LinkedHashMap<>(security.protocolSecrets());
        for (String bank : properties.participants().keySet()) {
            protocol.computeIfAbsent(bank, b -> generated.getOrGenerate("protocol-secret." + b));
        }
        this.protocolSecrets = Map.copyOf(protocol);
        if (security.operators().isEmpty()) {
            this.operators = Map.of(
                    "operator",
                    new SecurityProperties.Operator(
                            generated.getOrGenerate("operator-password.operator"), SecurityProperties.Role.OPERATOR),
                    "viewer",
                    new SecurityProperties.Operator(
                            generated.getOrGenerate("operator-password.viewer"), SecurityProperties.Role.VIEWER));
        } else {
            this.operators = security.operators();
        }
        generated.save();
        showOnce(generated);
    }

    /** API key by client id. */
    Map<String, String> apiKeys() {
        return apiKeys;
    }

    /** Protocol secret by bank id. */
    public Map<String, String> protocolSecrets() {
        return protocolSecrets;
    }

    Map<String, SecurityProperties.Operator> operators() {
        return operators;
    }

    private static void showOnce(GeneratedSecrets generated) {
        if (generated.generatedNow().isEmpty()) {
            return;
        }
        StringBuilder text = new StringBuilder()
                .append("\n=== twophase coordinator: secrets generated on first start (shown once) ===\n");
        generated.generatedNow().forEach((name, value) -> text.append("  ")
                .append(name)
                .append(" = ")
                .append(value)
                .append('\n'));
        text.append("Kept in ")
                .append(generated.file())
                .append(" (owner-only). A bank's protocol-secret must be")
                .append(" given to that bank as twophase.security.protocol-secret. Production: configure them all")
                .append(" (README, \"Secrets\").\n");
        System.out.println(text);
    }
}
