package dev.twophase.coordinator.reconciliation;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Reconciliation of the coordinator's books with each bank's (src-docs/runbook.md, "Reconciliation"); every default is
 * in application.yml.
 *
 * @param interval how often it runs on its own; 0 runs it only on demand
 * @param window how much each periodic run compares: the transactions begun in the {@code window} before
 *     {@code now - lag}
 * @param lag how far behind now a periodic window ends, and how long after a window a bank's decision still counts in
 *     it: phase 2 reaches a bank after the coordinator decided
 * @param inDoubtAfter a transaction still undecided here, or decided here and still prepared at a bank, this long
 *     after it began is reported
 * @param maxWindow the longest window one on-demand run may compare
 * @param maxTransactions the most decisions of one bank a run holds in memory (about 250 bytes each); a window with
 *     more is refused, to be compared in shorter windows
 */
@ConfigurationProperties("twophase.reconciliation")
public record ReconciliationProperties(
        Duration interval,
        Duration window,
        Duration lag,
        Duration inDoubtAfter,
        Duration maxWindow,
        int maxTransactions) {}
