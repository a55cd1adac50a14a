package dev.twophase.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ParticipantStateTest {

    @Test
    void onlyAPreparedTransactionMovesAndOnlyToAnOutcome() {
        assertThat(ParticipantState.PREPARED.next())
                .containsExactlyInAnyOrder(ParticipantState.COMMITTED, ParticipantState.ABORTED);
        assertThat(ParticipantState.COMMITTED.next()).isEmpty();
        assertThat(ParticipantState.ABORTED.next()).isEmpty();
        assertThat(ParticipantState.COMMITTED.canMoveTo(ParticipantState.ABORTED))
                .isFalse();
        assertThat(ParticipantState.ABORTED.canMoveTo(ParticipantState.COMMITTED))
                .isFalse();
    }
}
