package dev.twophase.coordinator.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twophase.coordinator.log.H2TransactionLogs;
import dev.twophase.coordinator.log.TransactionLog;
import dev.twophase.coordinator.transaction.Transfer;
import dev.twophase.coordinator.transaction.TransferMetrics;
import dev.twophase.coordinator.transaction.TxState;
import dev.twophase.protocol.AbortReason;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrphanSweeperTest {

    private static final Transfer TRANSFER =
            Transfer.between("bank-a", "alice", "bank-b", "bob", new BigDecimal("1.00"));
    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    @TempDir
    Path dataDir;

    private H2TransactionLogs store;
    private TransactionLog log;

    @BeforeEach
    void open() {
        store = new H2TransactionLogs(dataDir);
        log = store.log();
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void abortsOnlyOldUndecidedTransactionsThatNoThreadIsDeciding() {
        log.begin("orphan", TRANSFER, null, "h1", T0);
        log.begin("still-deciding", TRANSFER, null, "h2", T0);
        log.begin("young", TRANSFER, null, "h3", T0.plusSeconds(10));
        Clock now = Clock.fixed(T0.plusSeconds(14), ZoneOffset.UTC);
        OrphanSweeper sweeper = new OrphanSweeper(
                log,
                Set.of("still-deciding")::contains,
                (txId, bank, reason) -> false,
                Duration.ofSeconds(13),
                metrics(now),
                now);

        sweeper.abortOrphans();

        assertThat(log.find("orphan").orElseThrow().state()).isEqualTo(TxState.ABORTING);
        assertThat(log.find("orphan").orElseThrow().reason()).isEqualTo(AbortReason.TIMEOUT);
        assertThat(log.find("still-deciding").orElseThrow().state()).isEqualTo(TxState.PREPARING);
        assertThat(log.find("young").orElseThrow().state()).isEqualTo(TxState.PREPARING);
    }

    @Test
    void aBankThatDoesNotAnswerOneResolveIsNotAskedAgainInTheSamePass() {
        Transfer sameBank = Transfer.between("bank-a", "alice", "bank-a", "carol", new BigDecimal("10.00"));
        log.begin("one-phase-1", sameBank, null, "h1", T0);
        log.begin("one-phase-2", sameBank, null, "h2", T0);
        List<String> asked = new ArrayList<>();
        OrphanSweeper sweeper = new OrphanSweeper(
                log,
                txId -> false,
                (txId, bank, reason) -> asked.add(txId) && false,
                Duration.ofSeconds(13),
                metrics(Clock.systemUTC()),
                Clock.fixed(T0.plusSeconds(14), ZoneOffset.UTC));

        sweeper.abortOrphans();

        assertThat(asked).hasSize(1);
        assertThat(log.find("one-phase-1").orElseThrow().state()).isEqualTo(TxState.PREPARING);
        assertThat(log.find("one-phase-2").orElseThrow().state()).isEqualTo(TxState.PREPARING);
    }

    private static TransferMetrics metrics(Clock clock) {
        return new TransferMetrics(new SimpleMeterRegistry(), clock);
    }
}
