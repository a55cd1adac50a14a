package dev.twophase.coordinator.transfer;

import dev.twophase.coordinator.transaction.Transfer;
import dev.twophase.protocol.Money;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A digest of what a transfer asks for, to tell a client's retry from a different request under the same key. */
final class TransferFingerprint {

    private TransferFingerprint() {}

    static String of(Transfer transfer) {
        // The amount in its canonical form, so "25" and "25.00" are the same request.
        String canonical = String.join(
                "\n",
                transfer.fromBank(),
                transfer.fromAccount(),
                transfer.toBank(),
                transfer.toAccount(),
                Money.format(transfer.amount()));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
