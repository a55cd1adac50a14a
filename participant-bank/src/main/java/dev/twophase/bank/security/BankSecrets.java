package dev.twophase.bank.security;

import dev.twophase.bank.config.BankProperties;
import dev.twophase.security.GeneratedSecrets;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * The secrets the bank runs with: as configured, or else generated once into its data directory and shown once on
 * standard output (never through the logger). Nothing else prints, logs or returns them.
 */
@Component
public class BankSecrets {

    private final String protocolSecret;
    private final Map<String, String> operators;

    BankSecrets(BankSecurityProperties security, BankProperties properties) {
        GeneratedSecrets generated = GeneratedSecrets.in(properties.dataDir());
        this.protocolSecret =
                security.protocolSecret() == null || security.protocolSecret().isBlank()
                        ? generated.getOrGenerate("protocol-secret")
                        : security.protocolSecret();
        this.operators = security.operators().isEmpty()
                ? Map.of("operator", generated.getOrGenerate("operator-password.operator"))
                : security.operators();
        generated.save();
        if (!generated.generatedNow().isEmpty()) {
            StringBuilder text = new StringBuilder("\n=== twophase bank ")
                    .append(properties.bankId())
                    .append(": secrets generated on first start (shown once) ===\n");
            generated.generatedNow().forEach((name, value) -> text.append("  ")
                    .append(name)
                    .append(" = ")
                    .append(value)
                    .append('\n'));
            text.append("Kept in ")
                    .append(generated.file())
                    .append(" (owner-only). The coordinator needs the same protocol-secret as")
                    .append(" twophase.security.protocol-secrets.")
                    .append(properties.bankId())
                    .append(". Production: configure them (README, \"Secrets\").\n");
            System.out.println(text);
        }
    }

    public String protocolSecret() {
        return protocolSecret;
    }

    Map<String, String> operators() {
        return operators;
    }
}
