package dev.twophase.coordinator.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twophase.protocol.Operation;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class TransferTest {

    private static final BigDecimal TEN = new BigDecimal("10.00");

    @Test
    void aCrossBankTransferDebitsAtOneBankAndCreditsAtTheOther() {
        Transfer transfer = new Transfer("bank-a", "alice", "bank-b", "bob", TEN);

        assertThat(transfer.banks()).containsExactly("bank-a", "bank-b");
        assertThat(transfer.operationsFor("bank-a")).containsExactly(Operation.debit("alice", TEN));
        assertThat(transfer.operationsFor("bank-b")).containsExactly(Operation.credit("bob", TEN));
    }

    @Test
    void aSameBankTransferHasOneParticipantWithBothOperations() {
        Transfer transfer = new Transfer("bank-a", "alice", "bank-a", "carol", TEN);

        assertThat(transfer.banks()).containsExactly("bank-a");
        assertThat(transfer.operationsFor("bank-a"))
                .containsExactly(Operation.debit("alice", TEN), Operation.credit("carol", TEN));
    }
}
