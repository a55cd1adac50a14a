package dev.twophase.coordinator.dashboard;

import dev.twophase.protocol.ParticipantTransaction;
import java.time.Instant;
import java.util.List;

/**
 * What the dashboard last saw of one bank. {@code inDoubt} is the bank's own list of prepared, undecided
 * transactions (empty when it could not be read); {@code error} says why the bank is unreachable.
 */
public record BankSnapshot(
        String bankId,
        String url,
        boolean reachable,
        Instant checkedAt,
        Long healthLatencyMillis,
        String error,
        List<ParticipantTransaction> inDoubt) {

    static BankSnapshot notYetChecked(String bankId, String url) {
        return new BankSnapshot(bankId, url, false, null, null, "not checked yet", List.of());
    }
}
