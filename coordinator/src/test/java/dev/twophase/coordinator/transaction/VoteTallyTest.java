package dev.twophase.coordinator.transaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twophase.protocol.AbortReason;
import dev.twophase.protocol.Decision;
import dev.twophase.protocol.RefusalReason;
import dev.twophase.protocol.VoteResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

class VoteTallyTest {

    private final VoteTally tally = new VoteTally(List.of("bank-a", "bank-b"));

    @Test
    void commitsOnlyOnceEveryBankVotedYes() {
        assertThat(tally.record("bank-a", Ballot.YES)).isEmpty();
        assertThat(tally.record("bank-b", Ballot.YES)).contains(new VoteTally.Verdict(Decision.COMMIT, null));
    }

    @Test
    void abortsAtTheFirstNoWithoutWaitingForTheOtherBank() {
        Ballot no = Ballot.of(VoteResponse.no("tx", RefusalReason.INSUFFICIENT_FUNDS));

        assertThat(tally.record("bank-a", no))
                .contains(new VoteTally.Verdict(Decision.ABORT, AbortReason.INSUFFICIENT_FUNDS));
        assertThat(tally.ballots()).containsOnlyKeys("bank-a");
    }

    @Test
    void abortsWhenABankTimesOutOrCannotBeReached() {
        assertThat(tally.record("bank-b", Ballot.timedOut()))
                .contains(new VoteTally.Verdict(Decision.ABORT, AbortReason.TIMEOUT));
        VoteTally other = new VoteTally(List.of("bank-a"));
        assertThat(other.record("bank-a", Ballot.unreachable()))
                .contains(new VoteTally.Verdict(Decision.ABORT, AbortReason.PARTICIPANT_UNAVAILABLE));
    }

    @Test
    void announcesTheVerdictOnceAndIgnoresLateBallots() {
        tally.record("bank-a", Ballot.timedOut());

        assertThat(tally.record("bank-b", Ballot.YES)).isEmpty();
        assertThat(tally.record("bank-a", Ballot.YES)).isEmpty();
        assertThat(tally.ballots().get("bank-a")).isEqualTo(Ballot.timedOut());
    }

    @Test
    void runningOutOfTimeCountsEverySilentBankAsTimedOut() {
        tally.record("bank-a", Ballot.YES);

        assertThat(tally.timeOut()).isEqualTo(new VoteTally.Verdict(Decision.ABORT, AbortReason.TIMEOUT));
        assertThat(tally.ballots()).containsEntry("bank-a", Ballot.YES).containsEntry("bank-b", Ballot.timedOut());
    }

    @Test
    void runningOutOfTimeAfterTheVerdictKeepsThatVerdict() {
        // The last YES arrived just before the timer fired: the transaction still commits.
        tally.record("bank-a", Ballot.YES);
        tally.record("bank-b", Ballot.YES);

        assertThat(tally.timeOut()).isEqualTo(new VoteTally.Verdict(Decision.COMMIT, null));
        assertThat(tally.ballots()).containsEntry("bank-b", Ballot.YES);
    }

    @Test
    void refusesBallotsFromBanksOutsideTheTransaction() {
        assertThatThrownBy(() -> tally.record("bank-z", Ballot.YES)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onlyBanksThatVotedNoNeedNoAbort() {
        assertThat(Ballot.of(VoteResponse.no("tx", RefusalReason.UNKNOWN_ACCOUNT))
                        .needsAbort())
                .isFalse();
        assertThat(Ballot.YES.needsAbort()).isTrue();
        assertThat(Ballot.timedOut().needsAbort()).isTrue();
    }
}
