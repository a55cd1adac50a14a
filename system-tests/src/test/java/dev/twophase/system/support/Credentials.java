package dev.twophase.system.support;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The secrets of one test cluster, made fresh for it and given to the processes as configuration (the way
 * production does it; README, "Secrets"): the client's API key, each bank's protocol secret, the dashboard's
 * operator and viewer, and the banks' own operator.
 */
public record Credentials(
        String client,
        String apiKey,
        Map<String, String> protocolSecrets,
        String operatorPassword,
        String viewerPassword,
        String bankOperatorPassword) {

    public static final String OPERATOR = "ops-anna";
    public static final String VIEWER = "ops-viewer";
    public static final String BANK_OPERATOR = "bank-ops";

    private static final SecureRandom RANDOM = new SecureRandom();

    static Credentials fresh(List<String> banks) {
        Map<String, String> secrets = new java.util.LinkedHashMap<>();
        banks.forEach(bank -> secrets.put(bank, random()));
        return new Credentials("test-client", random(), Map.copyOf(secrets), random(), random(), random());
    }

    List<String> coordinatorArgs() {
        List<String> args = new ArrayList<>();
        args.add("--twophase.security.api-keys." + client + "=" + apiKey);
        protocolSecrets.forEach(
                (bank, secret) -> args.add("--twophase.security.protocol-secrets." + bank + "=" + secret));
        args.add("--twophase.security.operators." + OPERATOR + ".password=" + operatorPassword);
        args.add("--twophase.security.operators." + OPERATOR + ".role=OPERATOR");
        args.add("--twophase.security.operators." + VIEWER + ".password=" + viewerPassword);
        args.add("--twophase.security.operators." + VIEWER + ".role=VIEWER");
        return args;
    }

    List<String> bankArgs(String bank) {
        return List.of(
                "--twophase.security.protocol-secret=" + protocolSecrets.get(bank),
                "--twophase.security.operators." + BANK_OPERATOR + "=" + bankOperatorPassword);
    }

    private static String random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
