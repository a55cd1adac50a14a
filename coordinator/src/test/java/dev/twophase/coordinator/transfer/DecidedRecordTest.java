package dev.twophase.coordinator.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twophase.coordinator.log.H2TransactionLogs;
import dev.twophase.coordinator.log.ParticipantEntry;
import dev.twophase.coordinator.log.TransactionLog;
import dev.twophase.coordinator.log.TransactionRecord;
import dev.twophase.coordinator.transaction.Ballot;
import dev.twophase.coordinator.transaction.Outcome;
import dev.twophase.coordinator.transaction.Transfer;
import dev.twophase.protocol.AbortReason;
import dev.twophase.protocol.Decision;
import dev.twophase.protocol.TransferStatus;
import dev.twophase.protocol.Vote;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The answer to POST /api/transfers is built from what the deciding thread wrote instead of read back: it must show
 * what the log itself holds right after the decision, field for field, whatever the votes were.
 */
class DecidedRecordTest {

    private static final Transfer TRANSFER =
            Transfer.between("bank-b", "bob", "bank-a", "alice", new BigDecimal("7.25"));
    private static final Instant CREATED = Instant.parse("2026-12-02T01:00:00Z");
    private static final Instant DECIDED = Instant.parse("2026-12-02T01:00:00.042Z");

    @TempDir
    Path dir;

    private H2TransactionLogs logs;
    private TransactionLog log;

    @BeforeEach
    void open() {
        logs = new H2TransactionLogs(dir);
        log = logs.log();
    }

    @AfterEach
    void close() {
        logs.close();
    }

    @Test
    void aCommitShowsWhatTheLogHolds() {
        assertSameAsTheLog(Decision.COMMIT, null, Map.of("bank-a", Ballot.YES, "bank-b", Ballot.YES));
    }

    @Test
    void anAbortOnANoWithTheOtherBankStillVotingShowsWhatTheLogHolds() {
        assertSameAsTheLog(
                Decision.ABORT,
                AbortReason.INSUFFICIENT_FUNDS,
                Map.of("bank-b", new Ballot(Vote.NO, AbortReason.INSUFFICIENT_FUNDS)));
    }

    @Test
    void anAbortBothBanksVotedNoToEndsWithTheDecisionAsInTheLog() {
        Ballot no = new Ballot(Vote.NO, AbortReason.UNKNOWN_ACCOUNT);
        assertSameAsTheLog(Decision.ABORT, AbortReason.UNKNOWN_ACCOUNT, Map.of("bank-a", no, "bank-b", no));
    }

    @Test
    void anAbortOnATimeoutShowsWhatTheLogHolds() {
        assertSameAsTheLog(
                Decision.ABORT, AbortReason.TIMEOUT, Map.of("bank-a", Ballot.YES, "bank-b", Ballot.timedOut()));
    }

    private void assertSameAsTheLog(Decision decision, AbortReason reason, Map<String, Ballot> ballots) {
        log.begin("tx-1", TRANSFER, "client:key", "hash", CREATED);
        assertThat(log.logDecision("tx-1", decision, reason, ballots, DECIDED, DECIDED.plusSeconds(12)))
                .isTrue();
        Outcome outcome = new Outcome(
                "tx-1",
                decision == Decision.COMMIT ? TransferStatus.COMMITTED : TransferStatus.ABORTED,
                reason,
                new Outcome.Decided(DECIDED, ballots));

        TransactionRecord built = DecidedRecord.of(
                "tx-1",
                TRANSFER,
                "client:key",
                "hash",
                CREATED,
                log.find("tx-1").orElseThrow().owner(),
                outcome);
        TransactionRecord logged = log.find("tx-1").orElseThrow();

        assertThat(built)
                .usingRecursiveComparison()
                .ignoringFields("participants")
                .isEqualTo(logged);
        assertThat(built.participants())
                .usingRecursiveFieldByFieldElementComparatorIgnoringFields("nextAttemptAt")
                .containsExactlyElementsOf(logged.participants());
        assertThat(built.participants()).extracting(ParticipantEntry::bankId).containsExactly("bank-a", "bank-b");
    }
}
