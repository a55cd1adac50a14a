package dev.twophase.coordinator.transaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twophase.protocol.Decision;
import dev.twophase.protocol.TransferStatus;
import org.junit.jupiter.api.Test;

class TxStateTest {

    @Test
    void followsTheTransitionTable() {
        assertThat(TxState.PREPARING.moveTo(TxState.COMMITTING)).isEqualTo(TxState.COMMITTING);
        assertThat(TxState.PREPARING.moveTo(TxState.ABORTING)).isEqualTo(TxState.ABORTING);
        assertThat(TxState.COMMITTING.moveTo(TxState.COMMITTED)).isEqualTo(TxState.COMMITTED);
        assertThat(TxState.ABORTING.moveTo(TxState.ABORTED)).isEqualTo(TxState.ABORTED);
    }

    @Test
    void refusesToChangeADecisionAndNamesTheCurrentState() {
        assertThatThrownBy(() -> TxState.COMMITTING.moveTo(TxState.ABORTING))
                .isInstanceOf(TxState.IllegalTransition.class)
                .hasMessageContaining("COMMITTING");
        assertThatThrownBy(() -> TxState.COMMITTED.moveTo(TxState.ABORTED))
                .isInstanceOf(TxState.IllegalTransition.class);
        assertThatThrownBy(() -> TxState.PREPARING.moveTo(TxState.COMMITTED))
                .as("the decision must be logged before the end")
                .isInstanceOf(TxState.IllegalTransition.class);
    }

    @Test
    void mapsStatesToWhatTheClientSees() {
        assertThat(TxState.PREPARING.transferStatus()).isEqualTo(TransferStatus.PENDING);
        assertThat(TxState.COMMITTING.transferStatus()).isEqualTo(TransferStatus.COMMITTED);
        assertThat(TxState.ABORTED.transferStatus()).isEqualTo(TransferStatus.ABORTED);
        assertThat(TxState.PREPARING.decision()).isEmpty();
        assertThat(TxState.ABORTING.decision()).contains(Decision.ABORT);
    }
}
