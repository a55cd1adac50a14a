package dev.twophase.coordinator.transfer;

import dev.twophase.coordinator.transaction.Transfer;
import dev.twophase.protocol.Money;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.stream.Collectors;

/** A digest of what a transfer (any transaction) asks for, to tell a client's retry from a different request under the same key. */
final class TransferFingerprint {

    private TransferFingerprint() {}

    static String of(Transfer transfer) {
        // Amounts in their canonical form, so "25" and "25.00" are the same request. A transfer from one account to
        // another has the form it always had (keys recorded before multi-leg transactions still match), whether it
        // came as a transfer or as the same two legs; any other shape lists its legs, which no pair's form can equal
        // (a pair's has five lines, legs three each).
        String canonical = transfer.asPair()
                .map(pair -> String.join(
                        "\n",
                        pair.fromBank(),
                        pair.fromAccount(),
                        pair.toBank(),
                        pair.toAccount(),
                        Money.format(pair.amount())))
                .orElseGet(() -> transfer.legs().stream()
                        .map(leg -> leg.bank() + "\n" + leg.account() + "\n" + Money.format(leg.amount()))
                        .collect(Collectors.joining("\n")));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
