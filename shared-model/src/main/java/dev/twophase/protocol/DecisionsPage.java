package dev.twophase.protocol;

import java.time.Instant;
import java.util.List;

/**
 * One page of what a participant decided in a window of time, for reconciliation ({@code GET /2pc/decisions},
 * src-docs/protocol.md "Decisions, for reconciliation"): every transaction it committed or aborted (tombstones
 * included) with {@code decidedAt} in {@code [from, to)}, ordered by {@code decidedAt} then {@code txId}, each with the
 * net amount it moved here.
 *
 * @param nextAfterDecidedAt with {@code nextAfterTxId}: where the next page starts (ask again with
 *     {@code afterDecidedAt} and {@code afterTxId}); both null on the last page
 */
public record DecisionsPage(
        Instant from,
        Instant to,
        List<DecidedTransaction> transactions,
        Instant nextAfterDecidedAt,
        String nextAfterTxId) {

    public DecisionsPage {
        transactions = List.copyOf(transactions);
    }

    public boolean last() {
        return nextAfterTxId == null;
    }
}
