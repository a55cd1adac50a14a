package dev.twophase.coordinator.transaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twophase.protocol.Operation;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransferTest {

    private static final BigDecimal TEN = new BigDecimal("10.00");

    @Test
    void aCrossBankTransferDebitsAtOneBankAndCreditsAtTheOther() {
        Transfer transfer = Transfer.between("bank-a", "alice", "bank-b", "bob", TEN);

        assertThat(transfer.banks()).containsExactly("bank-a", "bank-b");
        assertThat(transfer.operationsFor("bank-a")).containsExactly(Operation.debit("alice", TEN));
        assertThat(transfer.operationsFor("bank-b")).containsExactly(Operation.credit("bob", TEN));
    }

    @Test
    void aSameBankTransferHasOneParticipantWithBothOperations() {
        Transfer transfer = Transfer.between("bank-a", "alice", "bank-a", "carol", TEN);

        assertThat(transfer.banks()).containsExactly("bank-a");
        assertThat(transfer.operationsFor("bank-a"))
                .containsExactly(Operation.debit("alice", TEN), Operation.credit("carol", TEN));
    }

    @Test
    void legsAtOneBankGoToItInOnePrepareAndBanksKeepTheOrderOfTheirFirstLeg() {
        Transfer transfer = new Transfer(List.of(
                new Leg("bank-c", "payer", new BigDecimal("-30.00")),
                new Leg("bank-a", "alice", new BigDecimal("20.00")),
                new Leg("bank-b", "bob", new BigDecimal("7.50")),
                new Leg("bank-a", "fees", new BigDecimal("2.50"))));

        assertThat(transfer.banks()).containsExactly("bank-c", "bank-a", "bank-b");
        assertThat(transfer.isOnePhase()).isFalse();
        assertThat(transfer.asPair()).isEmpty();
        assertThat(transfer.operationsFor("bank-a"))
                .containsExactly(
                        Operation.credit("alice", new BigDecimal("20.00")),
                        Operation.credit("fees", new BigDecimal("2.50")));
        assertThat(transfer.operationsFor("bank-c")).containsExactly(Operation.debit("payer", new BigDecimal("30.00")));
        assertThat(transfer.legsAt("bank-a")).containsExactly(1, 3);
        assertThat(transfer.debited()).isEqualByComparingTo("30.00");
        assertThat(transfer.netAt("bank-a")).isEqualByComparingTo("22.50");
        assertThat(transfer.describe())
                .isEqualTo("bank-c/payer -30.00, bank-a/alice 20.00, bank-b/bob 7.50, bank-a/fees 2.50");
    }

    @Test
    void everyLegAtOneBankTakesOnePhase() {
        Transfer transfer = new Transfer(List.of(
                new Leg("bank-a", "alice", new BigDecimal("-3.00")),
                new Leg("bank-a", "bob", new BigDecimal("2.00")),
                new Leg("bank-a", "carol", new BigDecimal("1.00"))));

        assertThat(transfer.isOnePhase()).isTrue();
        assertThat(transfer.banks()).containsExactly("bank-a");
    }

    @Test
    void aTransferIsTheDebitThenTheCreditAndReadsAsOneAccountToAnother() {
        Transfer transfer = Transfer.between("bank-a", "alice", "bank-b", "bob", TEN);

        assertThat(transfer.asPair()).contains(new Transfer.Pair("bank-a", "alice", "bank-b", "bob", TEN));
        assertThat(transfer.describe()).isEqualTo("bank-a/alice → bank-b/bob 10.00");
    }

    @Test
    void legsThatDoNotSumToZeroOrAreFewerThanTwoAreNoTransaction() {
        assertThatThrownBy(() -> new Transfer(List.of(
                        new Leg("bank-a", "alice", new BigDecimal("-3.00")),
                        new Leg("bank-b", "bob", new BigDecimal("2.00")))))
                .hasMessageContaining("sum to zero");
        assertThatThrownBy(() -> new Transfer(List.of(new Leg("bank-a", "alice", new BigDecimal("-3.00")))))
                .hasMessageContaining("at least two legs");
        assertThatThrownBy(() -> new Leg("bank-a", "alice", new BigDecimal("0.00")))
                .hasMessageContaining("amount 0");
    }
}
